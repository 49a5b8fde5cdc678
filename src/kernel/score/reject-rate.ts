// Reject rate from share-counter deltas over a trailing window, difficulty-weighted when it can be.
// Never from the miner's own percentage fields, which are wrong in real captures (issue 2 §5).

/**
 * Counter deltas over the trailing window (current counter minus the counter at the window start),
 * as telemetry/counters produces them after reset detection. Null = not reported by this miner or not
 * computable (e.g. a reset inside the window). Negative or non-finite deltas are treated as null.
 */
export interface ShareDeltas {
  readonly accepted_shares: number | null;
  readonly rejected_shares: number | null;
  readonly stale_shares: number | null;
  readonly diff_accepted: number | null;
  readonly diff_rejected: number | null;
  readonly diff_stale: number | null;
}

/** Which counters a reject rate came from. */
export type RejectBasis = 'difficulty' | 'shares';

export interface RejectRate {
  /** (rejected + stale) / (accepted + rejected + stale) of the chosen basis, in [0, 1]; null if no shares. */
  readonly reject_rate: number | null;
  readonly reject_basis: RejectBasis | null;
  /** Number of shares (counts, not difficulty) in the window; null when the share counters are missing. */
  readonly shares_in_window: number | null;
  /** Rejected + stale share count in the window (for a binomial interval); null when not computable. */
  readonly bad_shares_in_window: number | null;
}

function delta(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null;
}

/** (bad) / (good + bad) with stale optional (omitted when not reported); null when missing or empty. */
function ratio(good: number | null, bad: number | null, stale: number | null): number | null {
  if (good === null || bad === null) return null;
  const numerator = bad + (stale ?? 0);
  const total = good + numerator;
  const r = total > 0 ? numerator / total : null;
  return r !== null && Number.isFinite(r) ? r : null;
}

/**
 * Reject rate over the window: difficulty-weighted `(Δdiff_rejected + Δdiff_stale) / (Δdiff_accepted +
 * Δdiff_rejected + Δdiff_stale)` when accepted and rejected difficulty deltas are present, else the
 * same from share-count deltas. A missing stale counter is left out (not counted as 0 stale: it simply
 * is not in either sum). Null when neither basis has accepted and rejected deltas or the window holds
 * no shares.
 */
export function rejectRate(d: ShareDeltas | null): RejectRate {
  if (d === null)
    return { reject_rate: null, reject_basis: null, shares_in_window: null, bad_shares_in_window: null };
  const accepted = delta(d.accepted_shares);
  const rejected = delta(d.rejected_shares);
  const stale = delta(d.stale_shares);
  const byShares = ratio(accepted, rejected, stale);
  const hasCounts =
    accepted !== null && rejected !== null && Number.isFinite(accepted + rejected + (stale ?? 0));
  const shares = hasCounts ? accepted + rejected + (stale ?? 0) : null;
  const bad = hasCounts ? rejected + (stale ?? 0) : null;
  const byDiff = ratio(delta(d.diff_accepted), delta(d.diff_rejected), delta(d.diff_stale));
  if (byDiff !== null) {
    return {
      reject_rate: byDiff,
      reject_basis: 'difficulty',
      shares_in_window: shares,
      bad_shares_in_window: bad,
    };
  }
  if (byShares !== null) {
    return {
      reject_rate: byShares,
      reject_basis: 'shares',
      shares_in_window: shares,
      bad_shares_in_window: bad,
    };
  }
  return { reject_rate: null, reject_basis: null, shares_in_window: shares, bad_shares_in_window: bad };
}
