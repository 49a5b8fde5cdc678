// Read-back of locked clocks. NVML has no getter for the range set by nvmlDeviceSet*LockedClocks, so
// the driver keeps what it set and checks it against the clock the GPU runs at: a lock that did not take
// is caught whenever the GPU runs above it; a GPU idling below its lock cannot tell (see README.md).

/** A lock this driver set and NVML accepted: the upper bound, MHz; null = reset (unlocked). */
export type ClockLock = { readonly maxMhz: number } | null;

/**
 * The clock a GPU may run at under a lock of `maxMhz`: the smallest supported clock at or above it
 * (drivers snap to their table, possibly upwards), else `maxMhz` itself. `tableMhz` in any order.
 */
export function lockCeilingMhz(tableMhz: readonly number[], maxMhz: number): number {
  let ceiling = Number.POSITIVE_INFINITY;
  for (const c of tableMhz) if (c >= maxMhz && c < ceiling) ceiling = c;
  return Number.isFinite(ceiling) ? ceiling : maxMhz;
}

/**
 * What `read` reports for a clock set-point: null when the last accepted write was a reset; the lock's
 * maximum when the observed clock is at or below its ceiling (consistent, not proof); the observed
 * clock, MHz, when it runs above the ceiling (the lock is not in force, so verification fails).
 */
export function clockReadback(
  lock: ClockLock,
  observedMhz: number,
  tableMhz: readonly number[],
): number | null {
  if (lock === null) return null;
  return observedMhz > lockCeilingMhz(tableMhz, lock.maxMhz) ? observedMhz : lock.maxMhz;
}

/** The spacing of an evenly spaced clock table, MHz (e.g. 15); undefined when uneven or too short. */
export function uniformStepMhz(tableMhz: readonly number[]): number | undefined {
  const sorted = [...tableMhz].sort((a, b) => a - b);
  if (sorted.length < 3) return undefined;
  const step = sorted[1] - sorted[0];
  for (let i = 2; i < sorted.length; i += 1) if (sorted[i] - sorted[i - 1] !== step) return undefined;
  return step > 0 ? step : undefined;
}
