// Public face of protocols/http-json: a bounded HTTP(S) GET that returns parsed JSON or a SourceError.
// Used by the GPU-miner sources (XMRig, lolMiner, T-Rex, GMiner/Rigel) and the generic http-json source.

export {
  decodeJsonBody,
  getJson,
  type HttpGetOptions,
  type HttpJsonReply,
  HttpStatusError,
  kindOfSocketError,
} from './client.ts';
export { EXCERPT_CHARS, excerptOf, htmlTitleOf, redactUrl } from './excerpt.ts';
export { type HttpMethod, type HttpRequestOptions, requestJson } from './request.ts';
