// The A-B-A study report as one self-contained HTML page: the pooled verdict first, the forest plot of
// efficiency effects across devices, the pooled table, each device's section, warnings and the method.

import type { StudyResult, StudySample } from '../aba/index.ts';
import { deviceSection, METRIC_LABELS, toneOf } from './aba-device.ts';
import {
  efficiencySamples,
  pctDecimals,
  reportedVerdict,
  type StudyInputs,
  studyHeadline,
} from './aba-summary.ts';
import { type ForestRow, forestPlot } from './forest-plot.ts';
import { formatDuration, formatInterval, formatNumber, formatP, formatPct, formatTimeUtc } from './format.ts';
import { callout, facts, html, htmlPage, section, table } from './html.ts';

/** What the report is made of: the analysis, the inputs summary and the rows (sorted by rig, device, ts). */
export interface StudyReportInput {
  readonly result: StudyResult;
  readonly inputs: StudyInputs;
  readonly rows: readonly StudySample[];
}

function forest(result: StudyResult) {
  const metric = result.pooled.verdict.metric;
  const rows: ForestRow[] = result.devices.map((d) => {
    const m = d.metrics.find((x) => x.metric === metric);
    const e = d.verdict.effect_pct ?? m?.effect?.pct ?? null;
    const n =
      m?.effect === null || m?.effect === undefined
        ? ''
        : `n=${m.effect.n.A1 + m.effect.n.B + m.effect.n.A2}`;
    const note = d.pooled ? n : `${n} (not pooled)`.trim();
    return {
      label: `${d.rig}/${d.device}`,
      estimate: e?.value ?? null,
      low: e?.lo ?? null,
      high: e?.hi ?? null,
      note,
    };
  });
  const pooled = result.pooled.verdict.effect_pct;
  rows.push({
    label: `pooled (${result.pooled.devices} of ${result.devices.length})`,
    estimate: pooled?.value ?? null,
    low: pooled?.lo ?? null,
    high: pooled?.hi ?? null,
    note: `n=${efficiencySamples(result.devices.filter((d) => d.pooled))}`,
    pooled: true,
  });
  const decimals = pctDecimals(rows.flatMap((r) => [r.estimate, r.low, r.high]));
  return forestPlot({
    title: `${METRIC_LABELS[metric]} effect B − mean(A1, A2), % of baseline`,
    rows,
    xLabel: `% change (${formatNumber(result.method.confidence * 100)} % interval; dashed line: no effect)`,
    format: (v) => formatPct(v, decimals, true),
  });
}

function pooledTable(result: StudyResult) {
  return table({
    caption: 'Pooled over devices',
    headers: ['metric', 'effect %', 'interval', 'devices', 'I²', 'τ² (%²)', 'basis', 'rate ratio B/A', 'p'],
    numeric: [1, 2, 3, 4, 5, 7, 8],
    rows: result.pooled.metrics.map((m) => [
      METRIC_LABELS[m.metric],
      formatPct(m.effect_pct.value, 2, true),
      formatInterval(m.effect_pct.lo, m.effect_pct.hi, (v) => formatPct(v, 2, true)),
      String(m.k),
      m.i2 === null ? '—' : formatPct(m.i2 * 100, 0),
      formatNumber(m.tau2),
      m.basis,
      m.rate_test === null || m.rate_test.rate_ratio.value === null
        ? '—'
        : `${formatNumber(m.rate_test.rate_ratio.value)} [${formatInterval(m.rate_test.rate_ratio.lo, m.rate_test.rate_ratio.hi)}]`,
      m.rate_test === null ? '—' : formatP(m.rate_test.p_value),
    ]),
  });
}

function methodSection(result: StudyResult, inputs: StudyInputs) {
  const m = result.method;
  return section(
    'method',
    'Method and inputs',
    facts([
      ['data directory', inputs.data_dir],
      ['markers', `${inputs.markers} from ${inputs.markers_source}`],
      ['snapshot rows', `${inputs.rows} from ${inputs.files} Parquet file(s)`],
      ['columns missing', inputs.missing_fields.length === 0 ? 'none' : inputs.missing_fields.join(', ')],
      ['confidence', `${formatNumber(m.confidence * 100)} % two-sided`],
      ['bootstrap', `${m.bootstrap}, ${m.replicates} replicates, seed ${m.seed}`],
      [
        'settling',
        `max(${formatDuration(m.settle_ms)}, ${formatPct(m.settle_fraction * 100, 0)} of the phase) dropped at each phase start`,
      ],
      [
        'verdict needs',
        `analysed phases ≥ ${formatDuration(m.min_phase_ms)}, ≥ ${m.min_effective_n} effective samples, change beyond ±${formatNumber(m.min_effect_pct)} %`,
      ],
      [
        'drift adjustment',
        m.covariate === null
          ? 'off'
          : `regression on ${m.covariate}${m.covariate_degree === 2 ? ' and its square' : ''}${m.time_trend ? ' and a time trend' : ''}`,
      ],
      ['pooling', m.pooling],
    ]),
  );
}

/** The complete report page (an HTML document string; no script, no external reference). */
export function renderStudyReport(input: StudyReportInput): string {
  const { result, inputs } = input;
  const verdict = reportedVerdict(result.pooled.verdict);
  const byDevice = new Map<string, StudySample[]>();
  for (const r of input.rows) {
    const key = `${r.rig}\u0000${r.device}`;
    const list = byDevice.get(key);
    if (list === undefined) byDevice.set(key, [r]);
    else list.push(r);
  }
  const range = `${formatTimeUtc(inputs.from_ms)} → ${inputs.to_ms === null ? 'not ended' : formatTimeUtc(inputs.to_ms)}`;
  const head = html`<header><h1>A-B-A study ${inputs.study_id}</h1><p class="muted">Treatment: ${inputs.treatment === '' ? 'not named' : inputs.treatment} · ${range} · ${result.devices.length} device(s)</p></header>`;
  const summary = callout(
    toneOf(verdict),
    studyHeadline(result),
    html`<ul class="notes">${result.pooled.verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>`,
  );
  const warnings =
    result.warnings.length === 0
      ? ''
      : section(
          'warnings',
          'Warnings',
          html`<ul class="notes">${result.warnings.map((w) => html`<li>${w}</li>`)}</ul>`,
        );
  const toc = html`<p class="muted">Devices: ${result.devices.map((d, i) => html`${i > 0 ? ', ' : ''}<a href="#${`device-${d.rig}-${d.device}`.replace(/[^A-Za-z0-9-]/g, '-')}">${d.rig}/${d.device}</a>`)}</p>`;
  const pooled = section(
    'pooled',
    'Effect across devices',
    html`${forest(result)}${pooledTable(result)}<p class="muted">Pooling: ${result.pooled.method}.</p>`,
  );
  const devices = result.devices.map((d) =>
    deviceSection(d, byDevice.get(`${d.rig}\u0000${d.device}`) ?? [], result),
  );
  return htmlPage(
    `A-B-A study ${inputs.study_id}`,
    html`${head}${summary}${toc}${warnings}${pooled}${devices}${methodSection(result, inputs)}`,
  );
}
