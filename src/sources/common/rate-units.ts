// Hash-rate units as miners spell them (`mh/s`, `Mh/s`, `Sol/s`, `kH/s`, `g/s`) → factor to the
// snapshot's H/s. Solutions and graphs per second count as the algorithm's "hash" (factor 1).

const PREFIX: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };

const UNIT = /^([kmgtpe]?)(h|hash|sol|g|gps)\s*\/\s*s$/i;

/**
 * The factor that turns a rate in `unit` into H/s, or null for a unit we do not know (the caller
 * then leaves the hashrate null and warns). `sol/s` (Equihash) and `g/s` (Cuckoo graphs) are the
 * algorithm's own work unit and count 1:1, as miners and pools report them.
 */
export function hashrateFactor(unit: unknown): number | null {
  if (typeof unit !== 'string') return null;
  const m = UNIT.exec(unit.trim());
  if (m === null) return null;
  // "g/s" is graphs per second (no prefix), "gh/s" is giga-hash.
  return PREFIX[m[1].toLowerCase()] ?? null;
}

/** `value × factor`, or null when either is null or the product overflows to ±Infinity. */
export function scaled(value: number | null, factor: number | null): number | null {
  if (value === null || factor === null) return null;
  const product = value * factor;
  return Number.isFinite(product) ? product : null;
}
