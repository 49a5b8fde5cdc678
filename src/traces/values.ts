// Cell-level parsing shared by the CSV, NDJSON and Parquet readers: numbers, missing-value tokens and
// short excerpts for error messages. One rule set, so the three formats accept exactly the same cells.

/** Tokens read as "missing" (null), compared case-insensitively after trimming. */
export const MISSING_TOKENS: readonly string[] = [
  'nan',
  '-nan',
  'null',
  'none',
  'n/a',
  '[n/a]',
  '[not supported]',
  'inf',
  '+inf',
  '-inf',
  'infinity',
  '+infinity',
  '-infinity',
];

const MISSING = new Set(MISSING_TOKENS);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a numeric cell. Returns the number; null for an empty cell or a missing-value token
 * (`NaN`, `[N/A]`, `inf`, … see MISSING_TOKENS; infinities and overflowing literals count as
 * missing); undefined when the text is not a number. Accepts what JavaScript's `Number()` reads:
 * decimal and exponent notation, surrounding whitespace, and `0x` hex integers (bitmasks such as
 * nvidia-smi's `clocks_event_reasons`).
 */
export function parseNumericText(text: string): number | null | undefined {
  const n = Number(text);
  // Number('') and Number('  ') are 0: only a non-blank text is a zero.
  if (Number.isFinite(n)) return n !== 0 || text.trim() !== '' ? n : null;
  const t = text.trim();
  if (MISSING.has(t.toLowerCase()) || DECIMAL.test(t)) return null;
  return undefined;
}

/** Finite numbers pass; NaN and ±Infinity become null (missing). */
export function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** The text quoted and cut to at most `max` characters, for error messages. */
export function excerpt(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
