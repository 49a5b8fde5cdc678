// Printable excerpts of raw reply bytes for error messages: a failed read says where it broke and
// what was there, without dumping a whole reply or writing control bytes into a log line.

/** Bytes shown on each side of an offset. */
const SIDE_BYTES = 24;

function printable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else if (b === 0x0a) out += '\\n';
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * Up to 24 bytes before and after `offset`, printable ASCII with other bytes as `\xNN`, the offset
 * marked by `⟨here⟩`: `…"Accepted":4057⟨here⟩}{"STATS"…`.
 */
export function excerptAt(bytes: Uint8Array, offset: number): string {
  const at = Math.max(0, Math.min(offset, bytes.length));
  const from = Math.max(0, at - SIDE_BYTES);
  const to = Math.min(bytes.length, at + SIDE_BYTES);
  const head = from > 0 ? '…' : '';
  const tail = to < bytes.length ? '…' : '';
  return `${head}${printable(bytes.subarray(from, at))}⟨here⟩${printable(bytes.subarray(at, to))}${tail}`;
}

/** The first `maxBytes` bytes as printable text, with an ellipsis when cut. */
export function excerptHead(bytes: Uint8Array, maxBytes = 80): string {
  const cut = bytes.length > maxBytes;
  return `${printable(bytes.subarray(0, maxBytes))}${cut ? '…' : ''}`;
}
