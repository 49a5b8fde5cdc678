// The A-B-A analysis entry point: rows + markers + options → StudyResult (plain JSON). Pure and
// deterministic: the bootstrap draws from seeded streams named per device and metric.

import { RigtuneError } from '../../core/errors.ts';
import { seededRng } from '../../kernel/stats/index.ts';
import { type EstimateSettings, estimateMetric, excludesZero } from './estimate.ts';
import { POOLING_METHOD, type PoolInput, poolDevices } from './pool.ts';
import { rateCounts, rateTest } from './rates.ts';
import { buildPhaseSeries, METRIC_INFO, medianIntervalMs, pickHashrateField } from './series.ts';
import {
  ABA_METRICS,
  type AbaMarker,
  type AbaOptions,
  type DeviceResult,
  type MetricResult,
  type StudyMethod,
  type StudyResult,
  type StudySample,
} from './types.ts';
import { deviceVerdict, type VerdictSettings } from './verdict.ts';
import { DEFAULT_SETTLE_FRACTION, DEFAULT_SETTLE_MS, type DeviceWindows, studyWindows } from './windows.ts';

export const BOOTSTRAP_METHOD =
  'circular block bootstrap within each phase (shared draws for a ratio and its regression moments), block length by Politis–White (2004/2009) from the pooled within-phase autocorrelation; intervals are estimate ± t(n_eff − 1) × bootstrap SE';

/** Smallest within-phase SD of the covariate for the adjustment, in its unit (°C). */
const MIN_COVARIATE_SD = 0.05;

function resolveOptions(o: AbaOptions) {
  const r = {
    seed: o.seed,
    confidence: o.confidence ?? 0.95,
    replicates: o.replicates ?? 2000,
    settleMs: o.settleMs ?? DEFAULT_SETTLE_MS,
    settleFraction: o.settleFraction ?? DEFAULT_SETTLE_FRACTION,
    minPhaseMs: o.minPhaseMs ?? 300_000,
    minEffectiveN: o.minEffectiveN ?? 10,
    minEffectPct: o.minEffectPct ?? 1,
    covariate: o.covariate === undefined ? ('temp_inlet_c' as const) : o.covariate,
    timeTrend: o.timeTrend ?? false,
    covariateDegree: o.covariateDegree ?? 1,
  };
  const bad = (field: string, why: string) =>
    new RigtuneError('RT_CONFIG_INVALID', `study option ${field} ${why}`, { field });
  if (!Number.isFinite(r.seed)) throw bad('seed', 'must be a finite number');
  if (!(r.confidence > 0 && r.confidence < 1)) throw bad('confidence', 'must be in (0, 1)');
  if (!Number.isInteger(r.replicates) || r.replicates < 50)
    throw bad('replicates', 'must be an integer ≥ 50');
  if (!(r.settleMs >= 0)) throw bad('settleMs', 'must be ≥ 0');
  if (!(r.settleFraction >= 0 && r.settleFraction < 1)) throw bad('settleFraction', 'must be in [0, 1)');
  if (!(r.minPhaseMs >= 0)) throw bad('minPhaseMs', 'must be ≥ 0');
  if (!(r.minEffectiveN >= 0)) throw bad('minEffectiveN', 'must be ≥ 0');
  if (!(r.minEffectPct > 0)) throw bad('minEffectPct', 'must be > 0');
  if (r.covariateDegree !== 1 && r.covariateDegree !== 2) throw bad('covariateDegree', 'must be 1 or 2');
  if (o.blockLength !== undefined && !(Number.isInteger(o.blockLength) && o.blockLength >= 1))
    throw bad('blockLength', 'must be an integer ≥ 1');
  if (o.maxGapMs !== undefined && !(o.maxGapMs > 0)) throw bad('maxGapMs', 'must be > 0');
  return r;
}

type Resolved = ReturnType<typeof resolveOptions>;

function analyzeDevice(
  dw: DeviceWindows,
  o: AbaOptions,
  r: Resolved,
): { result: DeviceResult; pool: PoolInput | null; excluded: string | null } {
  const hashrateField = pickHashrateField(dw.rows, o.hashrateField);
  const interval = medianIntervalMs(dw.rows);
  const maxGapMs = o.maxGapMs ?? (interval === null ? Number.POSITIVE_INFINITY : 5 * interval);
  const series = buildPhaseSeries(dw, hashrateField, r.covariate, maxGapMs);
  const label = `${dw.rig}/${dw.device}`;
  const metrics: MetricResult[] = [];
  for (const metric of ABA_METRICS) {
    const rate = metric === 'reject_rate' || metric === 'hw_error_rate_per_h';
    const settings: EstimateSettings = {
      confidence: r.confidence,
      replicates: r.replicates,
      blockLength: o.blockLength,
      adjust: r.covariate !== null && !rate && metric !== r.covariate,
      timeTrend: r.timeTrend,
      covariateDegree: r.covariateDegree,
      minCovariateSd: MIN_COVARIATE_SD,
      covariateName: r.covariate ?? '',
    };
    const est = estimateMetric(series, metric, settings, seededRng(r.seed, `${label}/${metric}`));
    const basis = est.adjusted ?? est.effect;
    metrics.push({
      metric,
      unit: METRIC_INFO[metric].unit,
      better: METRIC_INFO[metric].better,
      phases: est.phases,
      effect: est.effect,
      carry_over: est.carryOver,
      adjusted: est.adjusted,
      rate_test: rate
        ? rateTest(rateCounts(series, metric), metric === 'reject_rate' ? 'shares' : 'hours', r.confidence)
        : null,
      direction:
        basis === null ? null : excludesZero(basis) ? ((basis.value ?? 0) > 0 ? 'up' : 'down') : 'none',
      block_length: est.blockLength,
      notes: est.notes,
    });
  }
  const settings: VerdictSettings = {
    minPhaseMs: r.minPhaseMs,
    minEffectiveN: r.minEffectiveN,
    minEffectPct: r.minEffectPct,
  };
  const v = deviceVerdict(dw.windows, metrics, settings);
  const result: DeviceResult = {
    rig: dw.rig,
    device: dw.device,
    treatment: dw.treatment,
    windows: dw.windows,
    sample_interval_ms: interval,
    block_length: metrics.find((m) => m.metric === 'efficiency_h_per_j')?.block_length ?? null,
    hashrate_field: hashrateField,
    metrics,
    verdict: v.result,
    pooled: !v.gated,
    notes: dw.notes,
  };
  const pool: PoolInput | null = v.gated
    ? null
    : {
        label,
        metrics,
        counts: {
          reject_rate: rateCounts(series, 'reject_rate'),
          hw_error_rate_per_h: rateCounts(series, 'hw_error_rate_per_h'),
        },
      };
  const why = v.result.reasons.find((x) => !x.startsWith('note:')) ?? 'inconclusive';
  return { result, pool, excluded: v.gated ? `${label} (${why})` : null };
}

/**
 * Analyses an A-B-A study: per device and pooled, every metric's phase means, effect B − mean(A1, A2),
 * carry-over A2 − A1, drift-adjusted effect and share-rate tests, and a verdict on efficiency.
 * `rows` may hold any devices (those without markers of the study are ignored); `markers` the study's
 * phase markers. Throws RT_CONFIG_INVALID for bad options or an ambiguous study, RT_INPUT_FORMAT for a
 * malformed marker.
 */
export function analyzeStudy(
  rows: readonly StudySample[],
  markers: readonly AbaMarker[],
  options: AbaOptions,
): StudyResult {
  const r = resolveOptions(options);
  const sw = studyWindows(rows, markers, options);
  const devices: DeviceResult[] = [];
  const included: PoolInput[] = [];
  const excluded: string[] = [];
  for (const dw of sw.devices) {
    const d = analyzeDevice(dw, options, r);
    devices.push(d.result);
    if (d.pool !== null) included.push(d.pool);
    if (d.excluded !== null) excluded.push(d.excluded);
  }
  const method: StudyMethod = {
    confidence: r.confidence,
    replicates: r.replicates,
    seed: r.seed,
    bootstrap: BOOTSTRAP_METHOD,
    settle_ms: r.settleMs,
    settle_fraction: r.settleFraction,
    min_phase_ms: r.minPhaseMs,
    min_effective_n: r.minEffectiveN,
    min_effect_pct: r.minEffectPct,
    covariate: r.covariate,
    covariate_degree: r.covariateDegree,
    time_trend: r.timeTrend,
    pooling: POOLING_METHOD,
  };
  return {
    schema: 'rigtune.aba/1',
    study_id: sw.studyId,
    treatment: sw.devices[0]?.treatment ?? null,
    method,
    devices,
    pooled: poolDevices(included, excluded, r.confidence, r.minEffectPct),
    warnings: sw.warnings,
  };
}
