// Pooling over devices: per-device relative effects (%) combined by random effects (DerSimonian–Laird
// τ², Hartung–Knapp interval), share counts summed for one exact test, and the pooled verdict.

import { combineRandomEffects } from '../../kernel/stats/index.ts';
import { addCounts, type RateCounts, rateTest } from './rates.ts';
import {
  ABA_METRICS,
  type AbaMetric,
  type MetricResult,
  type PooledMetric,
  type PooledResult,
} from './types.ts';
import { classifyEffect } from './verdict.ts';

export const POOLING_METHOD =
  'random-effects combination of per-device relative effects (%): DerSimonian–Laird between-device variance, Hartung–Knapp–Sidik–Jonkman interval (t with k − 1 df, never narrower than DerSimonian–Laird); devices failing a validity gate are left out; share counts are summed over devices for the rate tests';

/** What pooling needs from one device. */
export interface PoolInput {
  readonly label: string;
  readonly metrics: readonly MetricResult[];
  readonly counts: Readonly<Record<'reject_rate' | 'hw_error_rate_per_h', RateCounts | null>>;
}

const fin = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** Combines the devices that passed their gates; `excluded` lists the others with the reason. */
export function poolDevices(
  included: readonly PoolInput[],
  excluded: readonly string[],
  confidence: number,
  minEffectPct: number,
): PooledResult {
  const metrics: PooledMetric[] = [];
  for (const metric of ABA_METRICS) {
    const per = included.map((d) => d.metrics.find((m) => m.metric === metric) ?? null);
    const allAdjusted = per.length > 0 && per.every((m) => m?.adjusted?.pct_se != null);
    const basis = allAdjusted ? 'adjusted' : 'unadjusted';
    const y: number[] = [];
    const v: number[] = [];
    for (const m of per) {
      const e = allAdjusted ? m?.adjusted : m?.effect;
      const value = fin(e?.pct?.value);
      const se = fin(e?.pct_se);
      if (value !== null && se !== null) {
        y.push(value);
        // A zero bootstrap SE (a constant series) still needs a weight: floor it far below any real one.
        v.push(Math.max(se * se, 1e-12));
      }
    }
    const re = combineRandomEffects(y, v, confidence);
    const rate = metric === 'reject_rate' || metric === 'hw_error_rate_per_h' ? metric : null;
    metrics.push({
      metric,
      effect_pct: {
        value: fin(re?.estimate),
        lo: fin(re?.lo),
        hi: fin(re?.hi),
        se: fin(re?.se),
      },
      basis,
      k: re?.k ?? 0,
      tau2: fin(re?.tau2),
      i2: fin(re?.i2),
      q: fin(re?.q),
      rate_test:
        rate === null
          ? null
          : rateTest(
              addCounts(included.map((d) => d.counts[rate])),
              rate === 'reject_rate' ? 'shares' : 'hours',
              confidence,
            ),
    });
  }
  const eff = metrics.find((m) => m.metric === 'efficiency_h_per_j') as PooledMetric;
  const reasons: string[] = [];
  let verdict: PooledResult['verdict'];
  if (eff.k === 0) {
    reasons.push('no device gave a usable efficiency effect');
    verdict = {
      verdict: 'inconclusive',
      metric: 'efficiency_h_per_j',
      basis: null,
      effect_pct: null,
      reasons,
    };
  } else {
    const disagree = (eff.i2 ?? 0) >= 0.5;
    const hint = disagree
      ? `the devices disagree (I² ${((eff.i2 ?? 0) * 100).toFixed(0)} %): more devices, not longer phases, would narrow it`
      : undefined;
    const c = classifyEffect(
      eff.effect_pct,
      'higher',
      minEffectPct,
      `pooled efficiency (H/J, ${eff.basis})`,
      hint,
    );
    reasons.push(
      `${c.reason} (k ${eff.k} device${eff.k === 1 ? '' : 's'}, I² ${((eff.i2 ?? 0) * 100).toFixed(0)} %)`,
    );
    verdict = {
      verdict: c.verdict,
      metric: 'efficiency_h_per_j',
      basis: eff.basis,
      effect_pct: { value: eff.effect_pct.value, lo: eff.effect_pct.lo, hi: eff.effect_pct.hi },
      reasons,
    };
  }
  for (const e of excluded) reasons.push(`left out: ${e}`);
  return { method: POOLING_METHOD, devices: included.length, metrics, verdict };
}

/** Metric lookup helper for callers that render one metric across devices. */
export function metricOf(metrics: readonly MetricResult[], metric: AbaMetric): MetricResult | null {
  return metrics.find((m) => m.metric === metric) ?? null;
}
