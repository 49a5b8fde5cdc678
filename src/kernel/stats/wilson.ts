// Wilson score interval for a binomial proportion: the uncertainty of a reject rate from n shares.
// Preferred over the normal interval because it stays inside [0, 1] and behaves at 0 or n successes.

import { RigtuneError } from '../../core/errors.ts';

/** A proportion's confidence interval, both ends in [0, 1]. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Wilson score interval for `successes` out of `trials` at normal quantile `z` (1.96 ≈ 95 %).
 * Non-integer counts are accepted (e.g. difficulty-weighted shares). Null when `trials` is 0.
 * @throws RigtuneError RT_KERNEL_ARGUMENT when counts are negative/non-finite, successes > trials,
 * or z is not positive.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): Interval | null {
  if (!Number.isFinite(successes) || !Number.isFinite(trials) || successes < 0 || trials < 0) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `wilsonInterval: counts must be finite and >= 0`);
  }
  if (successes > trials) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `wilsonInterval: successes ${successes} > trials ${trials}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) {
    throw new RigtuneError('RT_KERNEL_ARGUMENT', `wilsonInterval: z must be a positive number`);
  }
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}
