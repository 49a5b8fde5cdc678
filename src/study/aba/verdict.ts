// The verdict on efficiency, with plain-English reasons: validity gates (missing phase, too short, too
// few independent samples, carry-over, unadjusted inlet shift) first, then the interval's position.

import { excludesZero } from './estimate.ts';
import type { Estimate, MetricResult, PhaseWindow, Verdict, VerdictResult } from './types.ts';

/** Thresholds of the verdict (from AbaOptions with defaults applied). */
export interface VerdictSettings {
  readonly minPhaseMs: number;
  readonly minEffectiveN: number;
  readonly minEffectPct: number;
}

/** A verdict plus whether a validity gate stopped it (gated devices are left out of pooling). */
export interface GatedVerdict {
  readonly result: VerdictResult;
  readonly gated: boolean;
}

/** Shift of the covariate between B and A above which an unadjusted effect is called confounded, °C. */
const MAX_UNADJUSTED_SHIFT = 1;

const f1 = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
const signed = (x: number) => (x > 0 ? `+${f1(x)}` : f1(x));
/** "+11.2 % [10.9, 11.5]". */
export function describePct(e: Estimate): string {
  if (e.value === null) return 'n/a';
  const iv = e.lo === null || e.hi === null ? 'no interval' : `[${f1(e.lo)}, ${f1(e.hi)}]`;
  return `${signed(e.value)} % ${iv}`;
}
const minutes = (ms: number) => `${(ms / 60_000).toFixed(ms < 600_000 ? 1 : 0)} min`;

/**
 * Classifies a relative effect (%) where `better` says which way is good: no_effect when the whole
 * interval lies inside ±minEffectPct, improved/worse when it excludes 0, else inconclusive (too noisy).
 * Never improved/worse with an interval that contains 0.
 */
export function classifyEffect(
  e: Estimate | null,
  better: 'higher' | 'lower',
  minEffectPct: number,
  what: string,
  noisyHint?: string,
): { readonly verdict: Verdict; readonly reason: string } {
  if (e === null || e.value === null || e.lo === null || e.hi === null)
    return { verdict: 'inconclusive', reason: `no interval for ${what}` };
  const text = `${what} ${describePct(e)}`;
  if (e.lo > -minEffectPct && e.hi < minEffectPct)
    return {
      verdict: 'no_effect',
      reason: `no effect that matters: ${text}, inside the ±${minEffectPct} % band`,
    };
  if (excludesZero(e)) {
    const up = e.lo > 0;
    const good = up === (better === 'higher');
    const small =
      Math.abs(e.value) < minEffectPct ? ` (though smaller than the ${minEffectPct} % that matters)` : '';
    return { verdict: good ? 'improved' : 'worse', reason: `${text}${small}` };
  }
  const half = (e.hi - e.lo) / 2;
  const more = Math.max(1, (half / minEffectPct) ** 2);
  return {
    verdict: 'inconclusive',
    reason: `too noisy: ${text} is ±${f1(half)} %, wider than the ±${minEffectPct} % that matters; ${noisyHint ?? `about ${more.toFixed(0)}× more data would be needed`}`,
  };
}

/**
 * The device verdict on `efficiency_h_per_j` (drift-adjusted effect when available). `inlet` is the
 * covariate's own metric, used to call an unadjusted shift a confound.
 */
export function deviceVerdict(
  windows: readonly PhaseWindow[],
  metrics: readonly MetricResult[],
  settings: VerdictSettings,
): GatedVerdict {
  const eff = metrics.find((m) => m.metric === 'efficiency_h_per_j');
  const reasons: string[] = [];
  for (const p of ['A1', 'B', 'A2'] as const)
    if (!windows.some((w) => w.phase === p)) reasons.push(`missing phase ${p}: no marker`);
  for (const w of windows) {
    const kept = Math.max(0, w.end_ms - w.analysed_from_ms);
    if (kept < settings.minPhaseMs)
      reasons.push(
        `too short: ${minutes(kept)} of ${w.phase} after settling (${minutes(w.settle_ms)} discarded), need ≥ ${minutes(settings.minPhaseMs)}`,
      );
  }
  const none: VerdictResult = {
    verdict: 'inconclusive',
    metric: 'efficiency_h_per_j',
    basis: null,
    effect_pct: null,
    reasons,
  };
  if (eff === undefined || eff.effect === null) {
    if (reasons.length === 0)
      reasons.push('no efficiency figure: the device reports no power_w or no hash rate');
    return { result: none, gated: true };
  }
  const adjusted = eff.adjusted !== null && eff.adjusted.pct !== null;
  const chosen = adjusted ? (eff.adjusted?.pct ?? null) : eff.effect.pct;
  const basis = adjusted ? 'adjusted' : 'unadjusted';
  // Effective samples of the estimate that decides: the regression residuals' when adjusted.
  for (const p of eff.phases) {
    const nEff = adjusted && eff.adjusted !== null ? eff.adjusted.n_eff[p.phase] : p.n_eff;
    const block = adjusted && eff.adjusted !== null ? eff.adjusted.block_length : (eff.block_length ?? 1);
    if (nEff === null || nEff < settings.minEffectiveN)
      reasons.push(
        `too few independent samples: ${p.phase} has about ${nEff === null ? 0 : nEff.toFixed(0)} (n ${p.n}, autocorrelated over ~${block} samples), need ≥ ${settings.minEffectiveN}`,
      );
  }
  // Carry-over: the baseline must come back for B − mean(A1, A2) to mean anything.
  const carry = carryPct(eff, adjusted);
  if (
    carry !== null &&
    excludesZero(carry) &&
    carry.value !== null &&
    chosen !== null &&
    chosen.value !== null
  ) {
    const material = Math.abs(carry.value) >= Math.max(settings.minEffectPct, Math.abs(chosen.value) / 2);
    const text = `A2 differs from A1 by ${describePct(carry)}`;
    if (material)
      reasons.push(
        `carry-over: ${text}; the baseline did not come back, so the effect cannot be attributed to B`,
      );
    else
      reasons.unshift(
        `note: ${text} (below the ${settings.minEffectPct} % that matters and small next to the effect)`,
      );
  }
  if (!adjusted) {
    const inlet = metrics.find((m) => m.metric === 'temp_inlet_c');
    const shift = inlet?.effect ?? null;
    if (
      shift !== null &&
      shift.value !== null &&
      excludesZero(shift) &&
      Math.abs(shift.value) >= MAX_UNADJUSTED_SHIFT
    )
      reasons.push(
        `confounded: inlet temperature was ${signed(shift.value)} °C [${f1(shift.lo ?? 0)}, ${f1(shift.hi ?? 0)}] different in B and could not be adjusted for`,
      );
  }
  const gated = reasons.some((r) => !r.startsWith('note:'));
  if (gated) return { result: { ...none, basis, effect_pct: chosen, reasons }, gated: true };
  const c = classifyEffect(
    chosen,
    'higher',
    settings.minEffectPct,
    `efficiency (H/J, ${basis === 'adjusted' ? 'adjusted for inlet temperature' : 'unadjusted'})`,
  );
  const n = eff.effect.n;
  const side = [`${c.reason} (n B ${n.B}, A1 ${n.A1}, A2 ${n.A2})`, ...reasons];
  for (const m of ['hashrate_hs', 'power_w'] as const) {
    const mr = metrics.find((x) => x.metric === m);
    const pct = (adjusted ? mr?.adjusted?.pct : null) ?? mr?.effect?.pct ?? null;
    if (pct !== null) side.push(`${m === 'hashrate_hs' ? 'hash rate' : 'power'} ${describePct(pct)}`);
  }
  return {
    result: { verdict: c.verdict, metric: 'efficiency_h_per_j', basis, effect_pct: chosen, reasons: side },
    gated: false,
  };
}

/** A2 − A1 in % of A1 (adjusted: from the adjusted levels' carry-over over the adjusted baseline). */
function carryPct(eff: MetricResult, adjusted: boolean): Estimate | null {
  if (!adjusted) return eff.carry_over?.pct ?? null;
  const a = eff.adjusted;
  if (a === null || a.baseline === null || a.baseline === 0) return null;
  const c = a.carry_over;
  const s = 100 / a.baseline;
  if (c.value === null) return null;
  return { value: c.value * s, lo: c.lo === null ? null : c.lo * s, hi: c.hi === null ? null : c.hi * s };
}
