// Text formats of the cgminer API as bmminer prints them: fixed-decimal doubles, suffixed
// difficulties ("262K"), "h:mm:ss" durations and per-chip status strings; pure helpers.

/** A number printed with a fixed number of decimals, as cgminer prints doubles ("1305083904.000000"). */
export class Real {
  readonly text: string;
  constructor(value: number, decimals: number) {
    this.text = Number.isFinite(value) ? value.toFixed(decimals) : '0';
  }
}

export type Json = string | number | boolean | null | Real | Json[] | { [key: string]: Json };

/** JSON text of a reply; `Real` values print with their fixed decimals. */
export function toCgminerJson(value: Json): string {
  if (value instanceof Real) return value.text;
  if (Array.isArray(value)) return `[${value.map(toCgminerJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toCgminerJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** cgminer's suffix_string: 262144 → "262K" (1000-based, truncated). */
export function suffixString(value: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let v = value;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Math.floor(v)}${units[i]}`;
}

/** Seconds as cgminer's "h:mm:ss". */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}

/** `chain_acs`: a space before every group of three chips, `o` hashing, `x` failed (capture P2). */
export function chipStatusString(alive: Uint8Array): string {
  let s = '';
  for (let j = 0; j < alive.length; j++) {
    if (j % 3 === 0) s += ' ';
    s += alive[j] === 1 ? 'o' : 'x';
  }
  return s;
}
