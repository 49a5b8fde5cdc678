// What the studies list shows of each file: a study.json (src/study/aba-plan/state.ts), the analyze
// report.json (src/study/aba types, rigtune.study-report/1) and a backtest.json (src/study/backtest).

/** A point estimate with its interval at the study's confidence; null where not estimable. */
export interface Interval {
  readonly value: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** An A-B-A study as its study.json describes it. */
export interface StudyFacts {
  /** What B changes, in words (plan.treatment, e.g. `power_limit_w=-25`). */
  readonly treatment: string;
  readonly rigs: readonly string[];
  /** Devices in the study. */
  readonly devices: number;
  /** `running`, `done` or `aborted`. */
  readonly status: string;
  /** Phases the devices are in now (A1, B, A2, end), each once. */
  readonly phases: readonly string[];
  /** Planned length of A1, B and A2, ms. */
  readonly durations_ms: Readonly<Record<'A1' | 'B' | 'A2', number>>;
  readonly created_ms: number;
  /** When the last device's `end` was marked, or when a finished study was last written; null while running. */
  readonly ended_ms: number | null;
  /** Why it ended early or what it could not do; empty for a clean run. */
  readonly reasons: readonly string[];
}

/** The pooled verdict of an analysed study (report.json `result.pooled`). */
export interface StudyVerdict {
  /** improved, worse, no_effect or inconclusive. */
  readonly verdict: string;
  /** The metric it is about (efficiency_h_per_j). */
  readonly metric: string;
  /** adjusted (for inlet-temperature drift) or unadjusted; null when no effect was estimable. */
  readonly basis: string | null;
  /** The pooled relative effect of B on the metric, %, with its interval; null when not estimable. */
  readonly effect_pct: Interval | null;
  /** Two-sided confidence level of the interval (0..1). */
  readonly confidence: number | null;
  /** Devices pooled. */
  readonly devices: number | null;
  /** The verdict's reasons in plain English. */
  readonly reasons: readonly string[];
}

/** A backtest's headline as its backtest.json holds it. */
export interface BacktestFacts {
  /** Configurations tried (candidates). */
  readonly configs: number;
  /** The configuration reported: the pick, on held-out data, or the only one, on all data. */
  readonly headline: string;
  /** `test` (held-out part) or `all`. */
  readonly part: string;
  /** Signal level of the headline: any, micro, meso, macro or advice. */
  readonly level: string;
  readonly traces: number;
  readonly devices: number;
  readonly device_days: number;
  readonly labels: number;
  /** Labels detected at the level, fraction, with the 95 % Wilson interval; null without labels. */
  readonly detection_rate: Interval | null;
  /** Signals matching no label per device-day, with the exact Poisson 95 % interval; null without exposure. */
  readonly false_alarms_per_device_day: Interval | null;
  /** Median seconds from onset to the first matching signal; null when nothing was detected. */
  readonly lead_time_median_s: number | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

function estimate(v: unknown): Interval | null {
  if (!isObject(v)) return null;
  return { value: num(v.value), lo: num(v.lo), hi: num(v.hi) };
}

/** A Proportion/Rate with `ci95: [lo, hi]` as an Interval of `key`. */
function withCi(v: unknown, key: string): Interval | null {
  if (!isObject(v)) return null;
  const ci = Array.isArray(v.ci95) ? v.ci95 : [];
  return { value: num(v[key]), lo: num(ci[0]), hi: num(ci[1]) };
}

/** The facts of a study.json (version 1); null when `meta` is not one. */
export function studyFacts(meta: Json): StudyFacts | null {
  const plan = meta.plan;
  const devices = meta.devices;
  const created = num(meta.created_ms);
  if (meta.version !== 1 || !isObject(plan) || !Array.isArray(devices) || created === null) return null;
  const treatment = str(plan.treatment);
  const status = str(meta.status);
  const durations = isObject(plan.durations_ms) ? plan.durations_ms : {};
  if (treatment === null || status === null) return null;
  const ends = devices.map((d) => (isObject(d) && isObject(d.started_ms) ? num(d.started_ms.end) : null));
  const allEnded = ends.length > 0 && ends.every((e) => e !== null);
  const phases = new Set(devices.map((d) => (isObject(d) ? str(d.phase) : null)).filter((p) => p !== null));
  return {
    treatment,
    rigs: strings(plan.rigs),
    devices: devices.length,
    status,
    phases: [...phases],
    durations_ms: { A1: num(durations.A1) ?? 0, B: num(durations.B) ?? 0, A2: num(durations.A2) ?? 0 },
    created_ms: created,
    ended_ms: allEnded ? Math.max(...(ends as number[])) : status === 'running' ? null : num(meta.updated_ms),
    reasons: strings(meta.reasons),
  };
}

/** The pooled verdict of an analyze report.json (rigtune.study-report/1); null when it is not one. */
export function studyVerdict(report: Json): StudyVerdict | null {
  const result = report.result;
  if (report.schema !== 'rigtune.study-report/1' || !isObject(result) || !isObject(result.pooled))
    return null;
  const pooled = result.pooled;
  const v = pooled.verdict;
  if (!isObject(v) || str(v.verdict) === null) return null;
  const method = isObject(result.method) ? result.method : {};
  return {
    verdict: v.verdict as string,
    metric: str(v.metric) ?? 'efficiency_h_per_j',
    basis: str(v.basis),
    effect_pct: estimate(v.effect_pct),
    confidence: num(method.confidence),
    devices: num(pooled.devices),
    reasons: strings(v.reasons),
  };
}

/** The headline of a backtest.json (kind `rigtune.backtest`); null when it is not one. */
export function backtestFacts(meta: Json): BacktestFacts | null {
  const headline = meta.headline;
  if (meta.kind !== 'rigtune.backtest' || !isObject(headline) || !isObject(headline.figures)) return null;
  const f = headline.figures;
  const level = str(meta.level) ?? 'micro';
  const figures = isObject(f.levels) && isObject(f.levels[level]) ? f.levels[level] : {};
  const lead = isObject(figures.lead_time_s) ? num(figures.lead_time_s.median) : null;
  return {
    configs: Array.isArray(meta.candidates) ? meta.candidates.length : 0,
    headline: str(headline.name) ?? '',
    part: str(headline.part) ?? 'all',
    level,
    traces: num(f.traces) ?? 0,
    devices: num(f.devices) ?? 0,
    device_days: num(f.device_days) ?? 0,
    labels: num(f.labels) ?? 0,
    detection_rate: withCi(figures.detection, 'rate'),
    false_alarms_per_device_day: withCi(figures.false_alarms, 'per_device_day'),
    lead_time_median_s: lead,
  };
}

/** Start time encoded in a default backtest folder name (`yyyymmdd-hhmmss`, UTC), epoch ms; else null. */
export function stampOf(id: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(id);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : null;
}
