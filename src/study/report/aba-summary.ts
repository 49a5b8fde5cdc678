// The A-B-A study's verdict in words and as one JSON line: the headline the report opens with, the text
// summary the CLI prints and its closing JSON object, all from the same numbers (pooled efficiency).

import type { DeviceResult, Estimate, StudyResult, Verdict, VerdictResult } from '../aba/index.ts';
import { formatFixed, formatNumber } from './format.ts';

/** What was analysed: every input figure, written into report.json beside the result. */
export interface StudyInputs {
  readonly data_dir: string;
  /** `<data>/aba_markers` or the --markers file. */
  readonly markers_source: string;
  readonly study_id: string;
  readonly treatment: string;
  /** First marker and last `end` marker (null: not ended), epoch ms. */
  readonly from_ms: number;
  readonly to_ms: number | null;
  readonly markers: number;
  /** Snapshot rows loaded, in all and per `rig/device`. */
  readonly rows: number;
  readonly rows_per_device: Readonly<Record<string, number>>;
  /** Parquet snapshot files read. */
  readonly files: number;
  /** Sample columns no file held. */
  readonly missing_fields: readonly string[];
}

/** The CLI's last stdout line (pooled efficiency effect, % of the baseline). */
export interface StudySummaryLine {
  readonly study_id: string | null;
  readonly devices: number;
  readonly verdict: Verdict;
  readonly effect_pct: number | null;
  readonly ci_low_pct: number | null;
  readonly ci_high_pct: number | null;
  readonly report: string;
}

function crossesZero(e: Estimate | null): boolean {
  return e === null || e.lo === null || e.hi === null || e.value === null || (e.lo <= 0 && e.hi >= 0);
}

/**
 * The verdict as reported: `improved`/`worse` only when the interval excludes zero (a guard on top of
 * the analysis, so no report claims an effect its own interval does not support).
 */
export function reportedVerdict(v: VerdictResult): Verdict {
  if ((v.verdict === 'improved' || v.verdict === 'worse') && crossesZero(v.effect_pct)) return 'inconclusive';
  return v.verdict;
}

/**
 * Decimals (1 to 3) so that no non-zero figure of `e` prints as zero: an interval from 0.02 to 1.1 reads
 * `0.02–1.10`, not `0.0–1.1`, which would look as if it touched zero.
 */
function decimalsFor(e: Estimate | null): number {
  return pctDecimals(e === null ? [] : [e.value, e.lo, e.hi]);
}

/** Decimals (1 to 3) so that none of the non-zero `values` (percentages) prints as zero. */
export function pctDecimals(values: readonly (number | null)[]): number {
  const figures = values.filter((v): v is number => v !== null && v !== 0 && Number.isFinite(v));
  let d = 1;
  while (d < 3 && figures.some((v) => Number(Math.abs(v).toFixed(d)) === 0)) d += 1;
  return d;
}

const pct = (v: number, d = 1) => `${v < 0 ? '−' : ''}${formatFixed(Math.abs(v), d)}`;
const signed = (v: number, d = 1) => `${v > 0 ? '+' : ''}${pct(v, d)}`;

/** `95 % CI 1.2–5.0 %` (or `−0.5 to 0.9 %` when an end is negative); empty without an interval. */
export function ciText(e: Estimate | null, confidence: number): string {
  if (e === null || e.lo === null || e.hi === null) return '';
  const d = decimalsFor(e);
  const level = `${formatNumber(confidence * 100, 3)} % CI`;
  const sep = e.lo < 0 || e.hi < 0 ? ' to ' : '–';
  return `${level} ${pct(e.lo, d)}${sep}${pct(e.hi, d)} %`;
}

/** Rows behind the efficiency effect of these devices (A1 + B + A2). */
export function efficiencySamples(devices: readonly DeviceResult[]): number {
  let n = 0;
  for (const d of devices) {
    const eff = d.metrics.find((m) => m.metric === d.verdict.metric)?.effect;
    if (eff) n += eff.n.A1 + eff.n.B + eff.n.A2;
  }
  return n;
}

/**
 * One plain-English sentence: "B improved efficiency by 3.1 % (95 % CI 1.2–5.0 %, n=2 devices, 3400
 * samples)", "B lowered …", "No efficiency change beyond ±1 % …" or "Inconclusive: <reason> …".
 */
export function verdictSentence(
  v: VerdictResult,
  result: { readonly method: Pick<StudyResult['method'], 'confidence' | 'min_effect_pct' | 'covariate'> },
  n: { readonly devices: number; readonly samples: number },
): string {
  const e = v.effect_pct;
  const ci = ciText(e, result.method.confidence);
  const count = `n=${n.devices} device${n.devices === 1 ? '' : 's'}, ${n.samples} samples`;
  const basis =
    v.basis === 'adjusted' && result.method.covariate !== null
      ? `adjusted for ${result.method.covariate}`
      : '';
  const parts = e === null || e.value === null ? [count] : [basis, ci, count];
  const detail = `(${parts.filter((t) => t !== '').join(', ')})`;
  const value = e?.value ?? null;
  const d = decimalsFor(e);
  const minPct = formatNumber(result.method.min_effect_pct);
  const small =
    value !== null && Math.abs(value) < result.method.min_effect_pct
      ? ` — smaller than the ±${minPct} % that matters`
      : '';
  switch (reportedVerdict(v)) {
    case 'improved':
      return `B improved efficiency by ${pct(Math.abs(value as number), d)} % ${detail}${small}.`;
    case 'worse':
      return `B lowered efficiency by ${pct(Math.abs(value as number), d)} % ${detail}${small}.`;
    case 'no_effect':
      return `No efficiency change beyond ±${minPct} %: B − A = ${value === null ? '—' : `${signed(value, d)} %`} ${detail}.`;
    default: {
      const downgraded = v.verdict !== 'inconclusive';
      const first = downgraded ? undefined : v.reasons.find((r) => !r.startsWith('note:'));
      const reason = (
        first ?? (crossesZero(e) ? 'the interval includes zero' : 'too short or too noisy to conclude')
      ).replace(/\.$/, '');
      const est = value === null ? '' : `; B − A = ${signed(value, d)} %`;
      return `Inconclusive: ${reason}${est} ${detail}.`;
    }
  }
}

/** Devices behind the pooled figure: those pooled, or all when none was (then nothing is claimed). */
export function pooledDevices(result: StudyResult): readonly DeviceResult[] {
  const pooled = result.devices.filter((d) => d.pooled);
  return pooled.length > 0 ? pooled : result.devices;
}

/** The pooled headline of a study (n: the devices and samples behind the pooled effect). */
export function studyHeadline(result: StudyResult): string {
  const devices = pooledDevices(result);
  return verdictSentence(result.pooled.verdict, result, {
    devices: devices.length,
    samples: efficiencySamples(devices),
  });
}

/** The JSON object the CLI prints last. */
export function summaryLine(result: StudyResult, reportPath: string): StudySummaryLine {
  const v = result.pooled.verdict;
  const e = v.effect_pct ?? result.pooled.metrics.find((m) => m.metric === v.metric)?.effect_pct ?? null;
  return {
    study_id: result.study_id,
    devices: result.devices.length,
    verdict: reportedVerdict(v),
    effect_pct: e?.value ?? null,
    ci_low_pct: e?.lo ?? null,
    ci_high_pct: e?.hi ?? null,
    report: reportPath,
  };
}

/** The short text summary (lines) the CLI prints before the JSON line. */
export function textSummary(result: StudyResult, inputs: StudyInputs, reportPath: string): string[] {
  const lines = [
    `study ${inputs.study_id}: ${inputs.treatment === '' ? 'treatment not named' : inputs.treatment}`,
    `  ${result.devices.length} device(s), ${inputs.rows} snapshot rows from ${inputs.files} file(s)`,
    `  ${studyHeadline(result)}`,
  ];
  for (const d of result.devices) {
    const samples = efficiencySamples([d]);
    lines.push(`  ${d.rig}/${d.device}: ${verdictSentence(d.verdict, result, { devices: 1, samples })}`);
  }
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  lines.push(`  report: ${reportPath}`);
  return lines;
}
