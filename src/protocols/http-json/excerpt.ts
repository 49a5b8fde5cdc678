// Short, printable excerpts of reply bodies for error messages, and URLs with credentials removed,
// so a failed read says what came back without dumping a whole HTML page or leaking a password.

/** Default excerpt length, in characters. */
export const EXCERPT_CHARS = 120;

/**
 * The first `maxChars` characters of `text` on one line: runs of whitespace become one space and
 * control characters are written as `\xNN`; an ellipsis marks a cut.
 */
export function excerptOf(text: string, maxChars: number = EXCERPT_CHARS): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we escape.
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return flat.length > maxChars ? `${flat.slice(0, maxChars)}…` : flat;
}

/** The `<title>` of an HTML page, trimmed, or null when it has none. */
export function htmlTitleOf(text: string): string | null {
  const m = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text);
  return m ? m[1].replace(/\s+/g, ' ').trim() : null;
}

/** `url` as text without user, password, query or fragment (those may hold tokens). */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
