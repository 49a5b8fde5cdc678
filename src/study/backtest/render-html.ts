// The self-contained HTML report of a backtest (`<out>/report.html`): the verdict with n and intervals,
// the candidates' trade-off on validation, lead-time distributions, advice precision and the matching rules.

import {
  callout,
  distributionPlot,
  facts,
  forestPlot,
  formatNumber,
  type HtmlValue,
  html,
  htmlPage,
  section,
  table,
} from '../report/index.ts';
import { formatProportion, formatRate } from './render-text.ts';
import type { BacktestReport } from './report.ts';
import { type BacktestFigures, SIGNAL_LEVELS } from './types.ts';

const secs = (v: number | null) => (v === null ? '—' : `${formatNumber(v)} s`);

function levelTable(f: BacktestFigures) {
  return table({
    caption: 'Per signal level (events of at least that class, or raised advice)',
    headers: [
      'level',
      'detected [95% CI]',
      'median lead',
      'lead q1–q3',
      'signals',
      'false alarms / device-day [95% CI]',
      'precision [95% CI]',
    ],
    numeric: [2, 3, 4],
    rows: SIGNAL_LEVELS.map((l) => {
      const x = f.levels[l];
      const d = x.lead_time_s;
      return [
        l,
        formatProportion(x.detection),
        secs(d.median),
        d.n === 0 ? '—' : `${formatNumber(d.q1)} – ${formatNumber(d.q3)} s`,
        x.signals,
        formatRate(x.false_alarms),
        formatProportion(x.precision),
      ];
    }),
  });
}

function adviceTables(f: BacktestFigures): HtmlValue {
  const kinds = Object.entries(f.advice_kinds);
  const labels = Object.entries(f.label_kinds);
  return [
    kinds.length === 0
      ? html`<p class="muted">No advice was raised.</p>`
      : table({
          caption: 'Precision of each advice kind (a raise inside a label window is a hit)',
          headers: ['advice kind', 'precision [95% CI]', 'false alarms / device-day [95% CI]'],
          rows: kinds.map(([k, v]) => [k, formatProportion(v.precision), formatRate(v.false_alarms)]),
        }),
    labels.length === 0
      ? ''
      : table({
          caption: 'Detection per label kind',
          headers: ['label kind', 'detected (headline level)', 'detected by advice'],
          rows: labels.map(([k, v]) => [k, formatProportion(v.detection), formatProportion(v.advice)]),
        }),
  ];
}

function candidatesSection(r: BacktestReport): HtmlValue {
  if (r.split === null || r.pick === null) return '';
  const rows = r.candidates.map((c, i) => {
    const x = c.figures.levels[r.level];
    return [
      i === r.pick?.index ? '★' : '',
      `#${i + 1}`,
      c.name,
      formatProportion(x.detection),
      secs(x.lead_time_s.median),
      formatRate(x.false_alarms),
    ];
  });
  const forest = (metric: 'detection' | 'fa') =>
    forestPlot({
      title:
        metric === 'detection'
          ? `Detection rate (${r.level}) on validation`
          : 'False alarms per device-day on validation',
      reference: 0,
      rows: r.candidates.map((c, i) => {
        const x = c.figures.levels[r.level];
        const est = metric === 'detection' ? x.detection.rate : x.false_alarms.per_device_day;
        const ci = metric === 'detection' ? x.detection.ci95 : x.false_alarms.ci95;
        return {
          label: `#${i + 1} ${Object.values(c.settings).join(' ')}`.slice(0, 22),
          estimate: est,
          low: ci?.[0] ?? null,
          high: ci?.[1] ?? null,
        };
      }),
    });
  return section('candidates', 'Candidates on the validation part', [
    html`<p>Split by ${r.split.by} (seed ${r.split.seed}, ${r.split.validation_units.length} validation and ${r.split.test_units.length} test units). Picked: ${r.pick.reason}. The test part is used only for the chosen configuration below.</p>`,
    table({
      headers: ['', '#', 'candidate', `detected (${r.level})`, 'median lead', 'false alarms / device-day'],
      rows,
    }),
    html`<div class="charts">${forest('detection')}${forest('fa')}</div>`,
  ]);
}

/** The report page (a complete HTML document, no scripts, no external assets). */
export function renderHtml(r: BacktestReport): string {
  const f = r.headline.figures;
  const x = f.levels[r.level];
  const where = r.headline.part === 'test' ? 'on the held-out test part' : 'on all data';
  const verdict = `${r.headline.name} ${where}: detected ${formatProportion(x.detection)}, median lead ${secs(x.lead_time_s.median)}, false alarms ${formatRate(x.false_alarms)} per device-day`;
  const tone = f.labels < 10 ? 'warn' : 'neutral';
  const leads = SIGNAL_LEVELS.map((l) => ({ label: l, values: f.levels[l].lead_time_s.values }));
  const body = [
    html`<h1>rigtune backtest</h1>`,
    callout(
      tone,
      verdict,
      f.labels < 10 ? html`<p>Only ${f.labels} labels: the intervals are wide.</p>` : '',
    ),
    facts([
      ['traces', r.traces.join(', ')],
      ['records', r.records],
      [
        'labels',
        `${r.labels_read} read, ${r.labels_unobserved.length} outside the data, ${f.labels} evaluated here`,
      ],
      ['devices / device-days', `${f.devices} / ${formatNumber(f.device_days)}`],
      ['headline level', r.level],
      ['matching', `from ${r.match.before_s} s before onset to ${r.match.after_s} s after the end`],
    ]),
    candidatesSection(r),
    section('figures', `Figures ${where}`, [
      levelTable(f),
      distributionPlot({ title: 'Lead time from onset to first signal', groups: leads, yLabel: 's' }),
      adviceTables(f),
    ]),
    section(
      'rules',
      'How signals are matched',
      html`<ul class="notes"><li>A label's window runs from ${r.match.before_s} s before its onset to ${r.match.after_s} s after its end (to the end of the data when it has none).</li><li>A signal matches a label of the same trace and rig when the devices agree (a whole-rig label or a whole-rig advice matches any device) and its time (an event's detection time, an advice's raise) falls in the window.</li><li>Detected: at least one matching signal; lead time: first matching signal − onset (negative when it came before the onset, within the tolerance).</li><li>A false alarm is a signal that matches no label; per device-day over the observed span of each device (exact Poisson interval). Intervals of rates are Wilson 95 %.</li></ul>`,
    ),
  ];
  return htmlPage('rigtune backtest', body);
}
