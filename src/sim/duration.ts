// Duration text as the simulator's command line and fault specs write it ("1h", "40m", "1h30m", "500ms").
// One parser so `--duration`, `--step` and fault times agree on units.

import { RigtuneError } from '../core/errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Milliseconds of a duration written as one or more `<number><unit>` parts, units ms, s, m, h, d
 * (e.g. `1h30m`, `2.5s`, `500ms`); `0` alone is zero. Throws RT_CONFIG_INVALID naming `field`
 * for anything else (a bare number is refused: its unit would be a guess).
 */
export function parseDurationMs(text: string, field = 'duration'): number {
  const s = text.trim();
  if (s === '0') return 0;
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < s.length) {
    PART.lastIndex = at;
    const m = PART.exec(s);
    if (m === null) break;
    total += Number(m[1]) * UNIT_MS[m[2]];
    at = PART.lastIndex;
  }
  if (s.length === 0 || at !== s.length || !Number.isFinite(total)) {
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `'${text}' is not a duration (write e.g. 1h, 40m, 1h30m, 5s, 500ms)`,
      { field },
    );
  }
  return Math.round(total);
}
