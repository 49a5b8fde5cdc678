// One device's part of the A-B-A report: its verdict, phase windows, time series with phase bands,
// per-phase distributions, the metric table (phase means, effect, drift-adjusted effect, carry-over) and rate tests.

import type {
  AbaMetric,
  DeviceResult,
  Estimate,
  MetricResult,
  PhaseWindow,
  StudyResult,
  StudySample,
  StudySampleField,
} from '../aba/index.ts';
import { ciText, efficiencySamples, reportedVerdict, verdictSentence } from './aba-summary.ts';
import { distributionPlot } from './distribution-plot.ts';
import { formatDuration, formatInterval, formatNumber, formatP, formatPct, formatTimeUtc } from './format.ts';
import { callout, html, type SafeHtml, type Tone, table } from './html.ts';
import { lineChart, type XBand } from './line-chart.ts';
import { binMeans, type Point } from './scale.ts';

/** Human label of each metric. */
export const METRIC_LABELS: Readonly<Record<AbaMetric, string>> = {
  efficiency_h_per_j: 'Efficiency',
  efficiency_j_per_th: 'Energy per hash',
  hashrate_hs: 'Hash rate',
  power_w: 'Power',
  temp_core_c: 'Core temperature',
  temp_mem_c: 'Memory temperature',
  temp_chip_max_c: 'Hottest chip',
  temp_inlet_c: 'Inlet temperature',
  reject_rate: 'Reject rate',
  hw_error_rate_per_h: 'HW errors',
};

/** Phase band colours: baseline phases cool grey-blue, treatment warm. */
export const PHASE_COLORS = { A1: '#e3eaf3', B: '#fde3cf', A2: '#e3eaf3' } as const;
const SETTLE_COLOR = '#f3f4f6';

/** Tone of a verdict box. */
export function toneOf(verdict: string): Tone {
  return verdict === 'improved'
    ? 'good'
    : verdict === 'worse'
      ? 'bad'
      : verdict === 'no_effect'
        ? 'neutral'
        : 'warn';
}

/** The phase bands of a device: its settle period (unlabelled, pale) and the analysed part. */
export function phaseBands(windows: readonly PhaseWindow[]): XBand[] {
  return windows.flatMap((w) => [
    ...(w.analysed_from_ms > w.start_ms
      ? [{ from: w.start_ms, to: Math.min(w.analysed_from_ms, w.end_ms), label: '', color: SETTLE_COLOR }]
      : []),
    {
      from: Math.max(w.start_ms, w.analysed_from_ms),
      to: w.end_ms,
      label: w.phase,
      color: PHASE_COLORS[w.phase],
    },
  ]);
}

function series(rows: readonly StudySample[], f: (r: StudySample) => number | null): Point[] {
  return binMeans(
    rows.map((r) => [r.ts, f(r)] as const),
    400,
  );
}

function value(r: StudySample, field: StudySampleField): number | null {
  const v = r[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Efficiency of one row, H/J (hash rate ÷ power); null without both or with power ≤ 0. */
export function efficiencyOf(r: StudySample, hashField: 'hashrate_5s' | 'hashrate_1m'): number | null {
  const h = value(r, hashField);
  const p = value(r, 'power_w');
  return h === null || p === null || p <= 0 ? null : h / p;
}

function est(e: Estimate | null | undefined, unit = ''): string {
  if (e === null || e === undefined || e.value === null) return '—';
  const ci = formatInterval(e.lo, e.hi, (v) => formatNumber(v, 4));
  return `${formatNumber(e.value, 4)}${unit}${ci === '—' ? '' : ` [${ci}]`}`;
}

function pctEst(e: Estimate | null | undefined): string {
  if (e === null || e === undefined || e.value === null) return '—';
  const ci = formatInterval(e.lo, e.hi, (v) => formatPct(v, 1, true));
  return `${formatPct(e.value, 1, true)}${ci === '—' ? '' : ` [${ci}]`}`;
}

/** A table cell: the value, and under it (muted) the interval and an optional note. */
function cell(
  value: string,
  e: Estimate | null | undefined,
  fmt: (v: number) => string,
  note = '',
): SafeHtml {
  if (e === null || e === undefined || e.value === null) return html`—`;
  const ci = e.lo === null || e.hi === null ? '' : `[${fmt(e.lo)}, ${fmt(e.hi)}]`;
  const under = [ci, note].filter((t) => t !== '').join(' ');
  return html`${value}${under === '' ? '' : html`<span class="ci">${under}</span>`}`;
}

const num4 = (v: number) => formatNumber(v, 4);
const pct1 = (v: number) => formatPct(v, 1, true).replace(' %', '');

function metricRow(m: MetricResult): SafeHtml[] {
  const phase = (p: string) => {
    const s = m.phases.find((x) => x.phase === p);
    return s === undefined ? html`—` : cell(num4(s.value ?? Number.NaN), s, num4, `n=${s.n}`);
  };
  const pctCell = (e: Estimate | null | undefined, flag = false) =>
    e === null || e === undefined || e.value === null
      ? html`—`
      : cell(`${formatPct(e.value, 1, true)}${flag ? ' ⚠' : ''}`, e, pct1);
  return [
    html`${METRIC_LABELS[m.metric]}<span class="ci">${m.unit}</span>`,
    phase('A1'),
    phase('B'),
    phase('A2'),
    m.effect === null ? html`—` : cell(num4(m.effect.value ?? Number.NaN), m.effect, num4),
    pctCell(m.effect?.pct),
    pctCell(m.adjusted?.pct),
    pctCell(
      m.carry_over === null ? null : (m.carry_over.pct ?? m.carry_over),
      m.carry_over?.flagged === true,
    ),
  ];
}

/** Metrics whose carry-over and drift adjustment get a sentence (the rest are in the table). */
const SPELLED_OUT: readonly AbaMetric[] = ['efficiency_h_per_j', 'hashrate_hs', 'power_w'];

function adjustmentLines(d: DeviceResult, result: StudyResult): SafeHtml {
  const level = result.method.confidence;
  const items = d.metrics
    .filter((m) => SPELLED_OUT.includes(m.metric))
    .flatMap((m) => {
      const out: SafeHtml[] = [];
      if (m.carry_over !== null) {
        const co = m.carry_over.pct ?? m.carry_over;
        const ci = ciText(co, level);
        out.push(
          html`<li>Carry-over, ${METRIC_LABELS[m.metric]} (A2 − A1): ${formatPct(co.value, 1, true)}${ci === '' ? '' : ` (${ci})`} — ${m.carry_over.flagged ? 'flagged: A2 did not return to A1' : 'the baseline came back'}.</li>`,
        );
      }
      if (m.adjusted !== null) {
        const a = m.adjusted;
        out.push(
          html`<li>Drift adjustment, ${METRIC_LABELS[m.metric]}: effect ${pctEst(a.pct)} adjusted vs ${pctEst(m.effect?.pct)} unadjusted; slope ${est(a.covariate_slope)} ${m.unit} per unit of ${result.method.covariate ?? 'the covariate'}${a.trend_slope_per_h === null ? '' : `; time trend ${est(a.trend_slope_per_h)} ${m.unit}/h`}.</li>`,
        );
      }
      return out;
    });
  const model = d.metrics.find((m) => m.adjusted !== null)?.adjusted?.model;
  const notes = [
    ...d.notes.map((n) => html`<li>${n}</li>`),
    ...d.metrics.flatMap((m) => m.notes.map((n) => html`<li>${METRIC_LABELS[m.metric]}: ${n}</li>`)),
  ];
  return html`<ul class="notes">${items}${notes}</ul>${model === undefined ? '' : html`<p class="muted">Adjustment model: ${model}.</p>`}`;
}

function rateTable(d: DeviceResult): SafeHtml | string {
  const tests = d.metrics.filter((m) => m.rate_test !== null);
  if (tests.length === 0)
    return html`<p class="muted">No share or HW-error counts in this device's history.</p>`;
  return table({
    caption: 'Share-count and HW-error rate tests (exact conditional Poisson test, B vs A1 + A2)',
    headers: [
      'metric',
      'count A',
      'exposure A',
      'count B',
      'exposure B',
      'rate A',
      'rate B',
      'rate ratio B/A',
      'p',
    ],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8],
    rows: tests.map((m) => {
      const t = m.rate_test!;
      return [
        METRIC_LABELS[m.metric],
        String(t.count_a),
        `${formatNumber(t.exposure_a)} ${t.exposure_unit}`,
        String(t.count_b),
        `${formatNumber(t.exposure_b)} ${t.exposure_unit}`,
        formatNumber(t.rate_a),
        formatNumber(t.rate_b),
        t.rate_ratio.value === null ? '—' : est(t.rate_ratio),
        formatP(t.p_value),
      ];
    }),
  });
}

/** The device's section: rows are this device's samples, sorted by time. */
export function deviceSection(d: DeviceResult, rows: readonly StudySample[], result: StudyResult): SafeHtml {
  const hashField = d.hashrate_field ?? 'hashrate_5s';
  const bands = phaseBands(d.windows);
  const verdict = reportedVerdict(d.verdict);
  const sentence = verdictSentence(d.verdict, result, { devices: 1, samples: efficiencySamples([d]) });
  const windows = table({
    caption: 'Phases (the pale start of each phase settles and is not analysed)',
    headers: ['phase', 'start (UTC)', 'end (UTC)', 'length', 'settle', 'analysed rows', 'set-point'],
    numeric: [3, 4, 5],
    rows: d.windows.map((w) => [
      w.phase,
      formatTimeUtc(w.start_ms),
      `${formatTimeUtc(w.end_ms)}${w.open_end ? ' (open)' : ''}`,
      formatDuration(w.end_ms - w.start_ms),
      formatDuration(w.settle_ms),
      String(w.samples),
      w.setpoint === null ? '—' : `${w.setpoint.kind} = ${w.setpoint.value ?? 'default'}`,
    ]),
  });
  type Line = { readonly label: string; readonly f: (r: StudySample) => number | null };
  const temps: Line[] = [
    { label: 'core', f: (r) => value(r, 'temp_core_c') },
    { label: 'memory', f: (r) => value(r, 'temp_mem_c') },
    { label: 'hottest chip', f: (r) => value(r, 'temp_chip_max_c') },
    { label: 'inlet', f: (r) => value(r, 'temp_inlet_c') },
  ];
  const chart = (title: string, yLabel: string, lines: readonly Line[]) =>
    lineChart({
      title,
      yLabel,
      xKind: 'time',
      bands,
      series: lines.map((l) => ({ label: l.label, points: series(rows, l.f) })),
    });
  const charts = html`<div class="charts">${[
    chart('Efficiency (H/J)', 'H/J', [{ label: 'efficiency', f: (r) => efficiencyOf(r, hashField) }]),
    chart('Power (W)', 'W', [{ label: 'power', f: (r) => value(r, 'power_w') }]),
    chart(`Hash rate (H/s, ${hashField})`, 'H/s', [{ label: 'hash rate', f: (r) => value(r, hashField) }]),
    chart(
      'Temperatures (°C)',
      '°C',
      temps.filter((l) => rows.some((r) => l.f(r) !== null)),
    ),
  ]}</div>`;
  const inPhase = (w: PhaseWindow, f: (r: StudySample) => number | null) =>
    rows
      .filter((r) => r.ts >= w.analysed_from_ms && r.ts < w.end_ms + (w.open_end ? 1 : 0))
      .map(f)
      .filter((v): v is number => v !== null);
  const dist = (title: string, yLabel: string, f: (r: StudySample) => number | null) =>
    distributionPlot({
      title,
      yLabel,
      groups: d.windows.map((w) => ({
        label: w.phase,
        values: inPhase(w, f),
        color: w.phase === 'B' ? '#d55e00' : '#0072b2',
      })),
    });
  const dists = html`<div class="charts">${dist('Efficiency by phase (H/J, analysed rows)', 'H/J', (r) => efficiencyOf(r, hashField))}${dist('Power by phase (W, analysed rows)', 'W', (r) => value(r, 'power_w'))}</div>`;
  const metrics = table({
    caption: `Phase means and effects (B − mean(A1, A2)), ${formatNumber(result.method.confidence * 100)} % intervals in brackets`,
    headers: ['metric', 'A1', 'B', 'A2', 'effect', 'effect %', 'adjusted %', 'carry-over %'],
    numeric: [1, 2, 3, 4, 5, 6, 7],
    rows: d.metrics.map(metricRow),
  });
  const id = `device-${d.rig}-${d.device}`;
  return html`<section id="${id.replace(/[^A-Za-z0-9-]/g, '-')}"><h2>${d.rig}/${d.device}</h2>${callout(toneOf(verdict), sentence, html`<ul class="notes muted">${d.verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>`)}<p class="muted">Sample interval ${d.sample_interval_ms === null ? '—' : formatDuration(d.sample_interval_ms)}, bootstrap block ${d.block_length ?? '—'} samples, hash rate from ${hashField}.</p>${windows}<h3>Time series</h3>${charts}<h3>Distributions by phase</h3>${dists}<h3>Effects</h3>${metrics}${adjustmentLines(d, result)}<h3>Rate tests</h3>${rateTable(d)}</section>`;
}
