// The text report of `rigtune backtest` on stdout: what was evaluated, the trade-off table of the
// candidates, and the chosen (or only) configuration's figures per level and advice kind, each with n and CI.

import type { Ci } from './intervals.ts';
import type { BacktestReport } from './report.ts';
import { type BacktestFigures, type Proportion, type Rate, SIGNAL_LEVELS } from './types.ts';

const num = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toFixed(digits)).toString();

const ci = (c: Ci | null, digits = 2): string =>
  c === null ? '' : ` [${num(c[0], digits)}–${num(c[1], digits)}]`;

const pct = (v: number) => `${Number((100 * v).toFixed(1))}`;

/** `80% (4/5) [38–96%]`: the rate, k/n and the 95 % interval. */
export function formatProportion(p: Proportion): string {
  if (p.n === 0 || p.rate === null) return '— (0/0)';
  const c = p.ci95 === null ? '' : ` [${pct(p.ci95[0])}–${pct(p.ci95[1])}%]`;
  return `${pct(p.rate)}% (${p.k}/${p.n})${c}`;
}

/** `2.5 /device-day (3 in 1.2 d) [0.52–7.3]`. */
export function formatRate(r: Rate): string {
  return r.per_device_day === null
    ? `— (${r.count} in 0 d)`
    : `${num(r.per_device_day)} (${r.count} in ${num(r.device_days, 3)} d)${ci(r.ci95)}`;
}

function lead(f: BacktestFigures, level: (typeof SIGNAL_LEVELS)[number]): string {
  const d = f.levels[level].lead_time_s;
  return d.n === 0 ? '—' : `${num(d.median, 1)} s (${num(d.q1, 1)}–${num(d.q3, 1)}, n ${d.n})`;
}

function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Figures of one configuration: per level, then per advice kind, then per label kind. */
export function renderFigures(f: BacktestFigures): string {
  const levels = [
    [
      'level',
      'detected [95% CI]',
      'lead: median (q1–q3)',
      'signals',
      'false alarms/device-day [95% CI]',
      'precision [95% CI]',
    ],
    ...SIGNAL_LEVELS.map((l) => {
      const x = f.levels[l];
      return [
        l,
        formatProportion(x.detection),
        lead(f, l),
        String(x.signals),
        formatRate(x.false_alarms),
        formatProportion(x.precision),
      ];
    }),
  ];
  const parts = [pad(levels)];
  const kinds = Object.entries(f.advice_kinds);
  if (kinds.length > 0)
    parts.push(
      pad([
        ['advice kind', 'precision [95% CI]', 'false alarms/device-day [95% CI]'],
        ...kinds.map(([k, v]) => [k, formatProportion(v.precision), formatRate(v.false_alarms)]),
      ]),
    );
  const labels = Object.entries(f.label_kinds);
  if (labels.length > 0)
    parts.push(
      pad([
        ['label kind', 'detected (headline level)', 'detected by advice'],
        ...labels.map(([k, v]) => [k, formatProportion(v.detection), formatProportion(v.advice)]),
      ]),
    );
  if (f.excluded_rig_advice > 0)
    parts.push(
      `${f.excluded_rig_advice} rig-wide advice left out (split by device: they read every device of a rig).`,
    );
  return parts.join('\n\n');
}

/** The whole text report (without the closing JSON line). */
export function renderText(r: BacktestReport): string {
  const f = r.headline.figures;
  const out: string[] = [];
  out.push(
    `Backtest of ${r.traces.length} trace file(s), ${r.records} records; ${r.labels_read} labels read ` +
      `(${r.labels_unobserved.length} outside the data); headline level: ${r.level}; a signal counts for a label ` +
      `from ${r.match.before_s} s before its onset to ${r.match.after_s} s after its end.`,
  );
  if (r.split !== null && r.pick !== null) {
    out.push(
      `Split by ${r.split.by} (seed ${r.split.seed}): ${r.split.validation_units.length} validation, ` +
        `${r.split.test_units.length} test unit(s). Candidates on VALIDATION (the pick never sees test data):`,
    );
    const rows = [
      ['', 'candidate', `detected (${r.level})`, 'median lead', 'false alarms/device-day'],
      ...r.candidates.map((c, i) => {
        const x = c.figures.levels[r.level];
        return [
          i === r.pick?.index ? '*' : ' ',
          c.name,
          formatProportion(x.detection),
          x.lead_time_s.median === null ? '—' : `${num(x.lead_time_s.median, 1)} s`,
          formatRate(x.false_alarms),
        ];
      }),
    ];
    out.push(pad(rows));
    out.push(`Chosen: ${r.headline.name} — ${r.pick.reason}.`);
    out.push(
      `On the held-out TEST part: ${f.traces} trace(s), ${f.devices} devices, ${num(f.device_days, 3)} device-days, ${f.labels} labels:`,
    );
  } else
    out.push(
      `Configuration ${r.headline.name} on all data: ${f.traces} trace(s), ${f.devices} devices, ${num(f.device_days, 3)} device-days, ${f.labels} labels:`,
    );
  out.push(renderFigures(f));
  if (f.labels < 10)
    out.push(`Only ${f.labels} labels: the intervals are wide; do not read much into the rates.`);
  return `${out.join('\n\n')}\n`;
}
