// Tolerant readers for values in miner JSON: numbers that may arrive as strings, zeros that mean
// "sensor not available", nested records. Each returns null rather than guessing.

/** A plain JSON object (not null, not an array). */
export type JsonRecord = { readonly [key: string]: unknown };

/** True when `v` is a plain JSON object. */
export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` when it is a record, else an empty record (so chained reads yield null, not a crash). */
export function recordOf(v: unknown): JsonRecord {
  return isRecord(v) ? v : {};
}

/** `v` when it is an array, else an empty array. */
export function arrayOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A finite number from a JSON number or a numeric string (`"37603.30"`); null otherwise. */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * A reading where the miner writes 0 for "not available" (lolMiner `Mem Temp (deg C)` 0, power 0 on
 * cards without a sensor): positive numbers pass, 0 and negatives become null.
 */
export function positiveOf(v: unknown): number | null {
  const n = numberOf(v);
  return n !== null && n > 0 ? n : null;
}

/** A non-negative counter value; negatives (a miner bug) become null. */
export function countOf(v: unknown): number | null {
  const n = numberOf(v);
  return n !== null && n >= 0 ? n : null;
}

/** A non-empty trimmed string, or null. */
export function stringOf(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** `a - b` for counters (rejected = submitted − accepted); null when either is null or the result < 0. */
export function differenceOf(a: number | null, b: number | null): number | null {
  if (a === null || b === null || a < b) return null;
  return a - b;
}

/** The mean of the finite numbers in `values`, or null when there are none. */
export function meanOf(values: readonly unknown[]): number | null {
  const nums = values.map(numberOf).filter((n): n is number => n !== null);
  return nums.length === 0 ? null : nums.reduce((s, n) => s + n, 0) / nums.length;
}

/**
 * `path` resolved under `base` keeping any path prefix of the base (a reverse proxy's `/miner/`):
 * `endpointUrl('http://h:1/x', '/2/summary')` → `http://h:1/x/2/summary`.
 */
export function endpointUrl(base: string, path: string): URL {
  const root = base.endsWith('/') ? base : `${base}/`;
  return new URL(path.replace(/^\/+/, ''), root);
}

/**
 * A short printable form of any JSON value for messages: strings as they are, other values as JSON
 * (cut at 40 characters). Never throws — unlike `String(v)` on an object with a `toString` key.
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 40)}…` : v;
  let text: string;
  try {
    text = JSON.stringify(v) ?? typeof v;
  } catch {
    text = typeof v;
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
