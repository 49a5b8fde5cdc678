// Public face of sim/serve/: the simulator's protocol servers on loopback (CGMiner-family TCP API,
// XMRig HTTP API), so real clients can be exercised end to end over sockets.

export { chipStatusString, suffixString } from './cgminer-format.ts';
export { CGMINER_COMMANDS } from './cgminer-replies.ts';
export {
  type CgminerEndpoint,
  type CgminerServeOptions,
  parseRequest,
  serveCgminer,
} from './cgminer-server.ts';
export type { ServedEndpoint } from './listen.ts';
export { XMRIG_VERSION } from './xmrig-replies.ts';
export { serveXmrig, type XmrigEndpoint, type XmrigServeOptions } from './xmrig-server.ts';
