// Value readers of the mapping layer: numbers that arrive as strings, dash-joined sensor lists, chip
// status strings, `Last Share Time` in two formats. Each returns null rather than guessing and records quirks.

import type { QuirkName } from '../../protocols/cgminer/index.ts';

/** Collects the quirk names met while mapping one poll (unique, in order of first use). */
export class QuirkLog {
  readonly #names = new Set<QuirkName>();

  add(name: QuirkName): void {
    this.#names.add(name);
  }

  addAll(names: readonly QuirkName[]): void {
    for (const n of names) this.#names.add(n);
  }

  list(): QuirkName[] {
    return [...this.#names];
  }
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A finite number from a JSON number or a numeric string (`"37603.30"`, `" 69.2461"`); the string
 * form records `number-as-string`. Empty strings (an absent board's `chain_rate4: ""`), other strings,
 * booleans, null and non-finite values give null.
 */
export function toNumber(v: unknown, quirks: QuirkLog): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!NUMERIC.test(t)) return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return null;
  quirks.add('number-as-string');
  return n;
}

/**
 * The largest non-zero value of a dash-joined sensor list (`temp_chip1: "78-50-69-70"` → 78;
 * `"0-0-0-0"` → null). Unparseable parts are skipped; an all-unparseable list gives null.
 */
export function dashMax(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  let max: number | null = null;
  for (const part of v.split('-')) {
    const t = part.trim();
    if (!/^\d+(\.\d+)?$/.test(t)) continue;
    const n = Number(t);
    if (n !== 0 && (max === null || n > max)) max = n;
  }
  return max;
}

/** Chip counts of an Antminer `chain_acs` string: `o` = OK, `x` = failed, anything else ignored. */
export function chipStatusCounts(v: unknown): { readonly ok: number; readonly bad: number } | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  let ok = 0;
  let bad = 0;
  for (const c of v) {
    if (c === 'o') ok += 1;
    else if (c === 'x' || c === 'X') bad += 1;
  }
  return { ok, bad };
}

/** Epoch seconds below this are not timestamps (2001-09-09): a `Last Share Time` of 0 means "never". */
const EPOCH_MIN_S = 1_000_000_000;

/**
 * Seconds since the last share from `Last Share Time`, in either firmware format: Antminer's
 * `"H:MM:SS"` age (`"0:00:03"` → 3, `"66:18:15"` → 238695; records `last-share-time-clock`) or
 * BOSminer/btminer epoch seconds (records `last-share-time-epoch`; age = `nowMs`/1000 − epoch, clamped
 * at 0). Null for 0, `"0"` (no share yet) and anything else.
 */
export function lastShareAgeS(v: unknown, nowMs: number, quirks: QuirkLog): number | null {
  if (typeof v === 'string') {
    const m = /^\s*(\d+):([0-5]\d):([0-5]\d)\s*$/.exec(v);
    if (m !== null) {
      quirks.add('last-share-time-clock');
      return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    }
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : null;
  if (n === null || !Number.isFinite(n) || n < EPOCH_MIN_S) return null;
  quirks.add('last-share-time-epoch');
  return Math.max(0, Math.round(nowMs / 1000 - n));
}

/** A trimmed string without the single quotes btminer wraps some values in (`"'20201202.22.REL'"`). */
export function cleanString(v: unknown, quirks: QuirkLog): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  const m = /^'(.*)'$/.exec(t);
  if (m !== null) quirks.add('quotes-in-string');
  const s = (m?.[1] ?? t).trim();
  return s === '' ? null : s;
}
