// The guard curve: maps structural metrics to a nudge fraction in [0, 1] (how much of a step to take).
// Exact ports of the two SEP variants in sep-reference.md §5.1, pinned by guards-vectors.json.

/** Structural metrics of a window, as the QFH kernel reports them (all nominally in [0, 1]). */
export interface GuardMetrics {
  readonly entropy: number;
  readonly coherence: number;
  readonly stability: number;
  readonly rupture: number;
  readonly lambda_hazard: number;
}

/** True when every metric is a finite number (NaN or ±Infinity make the guard fail closed). */
function isFiniteMetrics(m: GuardMetrics): boolean {
  return (
    Number.isFinite(m.entropy) &&
    Number.isFinite(m.coherence) &&
    Number.isFinite(m.stability) &&
    Number.isFinite(m.rupture) &&
    Number.isFinite(m.lambda_hazard)
  );
}

function clip01(x: number): number {
  if (x < 0) return 0;
  if (x > 1) return 1;
  return x;
}

/**
 * V3 / tpsl guard curve (sep-reference.md §5.1), the live one. Every metric is clipped to [0, 1];
 * `0.6·(C+S)/2 + 0.3·(1−λ) + 0.1·(1 − min(1, 1.2·R))` plus a bonus `min(0.15, 0.5·δ)` when
 * `δ = ΔC + ΔS > 0` against `previous`, clamped to [0, 1]. Entropy is accepted but unused. It is a
 * throttle, not a kill switch: at λ = 1, R ≥ 0.83 it is still 0.3·(C+S).
 * A non-finite current metric gives 0 (fail closed); a non-finite previous one drops the bonus.
 * @returns fraction in [0, 1] (1 = take the full step).
 */
export function throttleFactor(current: GuardMetrics, previous?: GuardMetrics | null): number {
  if (!isFiniteMetrics(current)) return 0;
  const c = clip01(current.coherence);
  const s = clip01(current.stability);
  const baseStrength = (c + s) / 2.0;
  const hazardDiscount = 1.0 - clip01(current.lambda_hazard);
  const rupturePenalty = 1.0 - Math.min(1.0, clip01(current.rupture) * 1.2);
  let bonus = 0.0;
  if (previous && isFiniteMetrics(previous)) {
    const delta = c - clip01(previous.coherence) + (s - clip01(previous.stability));
    if (delta > 0) bonus = Math.min(0.15, delta * 0.5);
  }
  const raw = baseStrength * 0.6 + hazardDiscount * 0.3 + rupturePenalty * 0.1 + bonus;
  return clip01(raw);
}

/**
 * Older score-repository variant (sep-reference.md §5.1), kept for comparison only. Metrics are
 * clipped at 0 only; `min(1.5, (C+S)/2) · (1 − min(H/5, 1)) · (1 − min(λ, 1))`, multiplied by
 * `1 / (1 + |ΔC| + |ΔS|)` when `previous` is given, clamped to [0, 1].
 * Non-finite metrics are handled as in {@link throttleFactor} (0; previous ignored).
 * @returns fraction in [0, 1].
 */
export function throttleFactorLegacyScore(current: GuardMetrics, previous?: GuardMetrics | null): number {
  if (!isFiniteMetrics(current)) return 0;
  const c = Math.max(0, current.coherence);
  const s = Math.max(0, current.stability);
  const base = Math.max(0, Math.min((c + s) / 2.0, 1.5));
  const entropyPenalty = 1.0 - Math.min(Math.max(0, current.entropy) / 5.0, 1.0);
  const hazardPenalty = 1.0 - Math.min(Math.max(0, current.lambda_hazard), 1.0);
  let score = base * entropyPenalty * hazardPenalty;
  if (previous && isFiniteMetrics(previous)) {
    const drift =
      Math.abs(c - Math.max(0, previous.coherence)) + Math.abs(s - Math.max(0, previous.stability));
    // Multiply by the reciprocal, as the original does: dividing differs in the last bit.
    score *= 1.0 / (1.0 + drift);
  }
  return Math.max(0, Math.min(score, 1));
}
