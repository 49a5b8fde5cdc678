// The studies page: every A-B-A study and backtest on disk (GET /api/studies), newest first: what it
// tried, its state, when it ran, its result (verdict and effect with interval, or detection and false
// alarms), and links to its HTML report and JSON; reloaded on demand and every half minute.

import { el, fixed, formatTime, getJson, setConnection, showTimeZone } from './common.js';

const REFRESH_MS = 30_000;
/** Verdict → badge colour class and words (colour plus text, never colour alone). */
const VERDICTS = {
  improved: ['v-good', 'improved'],
  worse: ['v-bad', 'worse'],
  no_effect: ['v-neutral', 'no effect'],
  inconclusive: ['v-unknown', 'inconclusive'],
};
const METRICS = { efficiency_h_per_j: 'efficiency' };

function link(href, text, label) {
  return href === null
    ? el('span', { class: 'muted', text: '—' })
    : el('a', { href, text, target: '_blank', rel: 'noopener', 'aria-label': label });
}

const signed = (v, digits) =>
  v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}`;
const pct = (v, digits = 0) => (v === null ? '—' : `${(100 * v).toFixed(digits)} %`);
const minutes = (ms) =>
  ms >= 60_000 ? `${fixed(ms / 60_000, ms % 60_000 === 0 ? 0 : 1)} min` : `${ms / 1000} s`;

/** The verdict badge and the pooled effect with its interval. */
function verdictCell(s) {
  const v = s.verdict;
  const [cls, words] = VERDICTS[v.verdict] ?? ['v-unknown', v.verdict];
  const cell = [el('span', { class: `verdict ${cls}`, text: words })];
  const e = v.effect_pct;
  if (e !== null && e.value !== null) {
    const level = v.confidence === null ? '' : `${Math.round(100 * v.confidence)} % CI `;
    const basis = v.basis === 'adjusted' ? ', drift-adjusted' : '';
    const devices = v.devices === null ? '' : `, ${v.devices} device${v.devices === 1 ? '' : 's'} pooled`;
    // Two decimals for a narrow interval, so a small effect does not read as ±0.0.
    const d = e.lo !== null && e.hi !== null && e.hi - e.lo < 1 ? 2 : 1;
    cell.push(
      ' ',
      el('span', {
        class: 'effect',
        text: `${METRICS[v.metric] ?? v.metric} ${signed(e.value, d)} % (${level}${signed(e.lo, d)} to ${signed(e.hi, d)} %)${basis}${devices}`,
      }),
    );
  }
  if (v.reasons.length > 0) cell.push(el('div', { class: 'muted reason', text: v.reasons[0] }));
  return cell;
}

function studyResult(s) {
  if (s.verdict !== null) return verdictCell(s);
  const st = s.study;
  if (st === null) return [el('span', { class: 'muted', text: '—' })];
  const plan = `A1 ${minutes(st.durations_ms.A1)} → B ${minutes(st.durations_ms.B)} → A2 ${minutes(st.durations_ms.A2)}`;
  if (st.status === 'running') return [`in phase ${st.phases.join(', ')} · ${plan}`];
  if (st.status === 'aborted')
    return [el('span', { class: 'warn', text: `aborted: ${st.reasons[0] ?? 'no reason given'}` })];
  return [el('span', { class: 'muted', text: `not analysed yet: rigtune study analyze --study ${s.id}` })];
}

function backtestResult(b) {
  const d = b.detection_rate;
  const f = b.false_alarms_per_device_day;
  const parts = [
    el('span', {
      class: 'effect',
      text: `detected ${pct(d?.value ?? null)} (95 % CI ${pct(d?.lo ?? null)}–${pct(d?.hi ?? null)}) of ${b.labels} label${b.labels === 1 ? '' : 's'} at ${b.level}`,
    }),
    el('div', {
      text: `false alarms ${fixed(f?.value ?? null, 1)} per device-day (${fixed(f?.lo ?? null, 1)}–${fixed(f?.hi ?? null, 1)})`,
    }),
    el('div', {
      class: 'muted',
      text: `${b.configs} config${b.configs === 1 ? '' : 's'} · ${b.part === 'test' ? 'held-out part' : 'all data'} · ${b.devices} devices, ${fixed(b.device_days, 2)} device-days · lead time median ${b.lead_time_median_s === null ? '—' : `${b.lead_time_median_s} s`}`,
    }),
  ];
  return parts;
}

function statusOf(s) {
  if (s.error !== null && s.study === null && s.backtest === null) return `unreadable: ${s.error}`;
  return s.status ?? (s.report_url === null ? 'in progress' : '—');
}

async function load() {
  const tbody = document.getElementById('studies').tBodies[0];
  const note = document.getElementById('studies-note');
  let answer;
  try {
    answer = await getJson('/api/studies');
    setConnection(true, 'up');
  } catch (err) {
    setConnection(false, 'unreachable');
    note.textContent = `Cannot list studies: ${err.message}`;
    return;
  }
  tbody.textContent = '';
  note.textContent =
    answer.studies.length === 0
      ? 'No studies or backtests yet. rigtune study run … writes <data_dir>/studies/<id>/; rigtune backtest … writes <data_dir>/backtests/<id>/.'
      : `${answer.studies.length} found · checked ${formatTime(Date.now())}`;
  for (const s of answer.studies) {
    const tr = tbody.insertRow();
    tr.dataset.id = s.id;
    tr.dataset.kind = s.kind;
    tr.insertCell().textContent = s.kind === 'study' ? 'A-B-A study' : 'backtest';
    const name = tr.insertCell();
    // The title links to the report once there is one; before, it is plain text.
    const title = s.title ?? s.id;
    name.append(
      s.report_url === null ? el('span', { text: title }) : link(s.report_url, title, `${title}: report`),
    );
    if (s.title !== null) name.append(el('div', { class: 'muted', text: s.id }));
    const status = tr.insertCell();
    status.className = 'c-status';
    status.textContent = statusOf(s);
    for (const ms of [s.created_ms, s.ended_ms]) {
      const td = tr.insertCell();
      td.className = 'c-time';
      td.textContent = formatTime(ms, true);
    }
    const result = tr.insertCell();
    result.className = 'c-result';
    result.append(
      ...(s.kind === 'study' ? studyResult(s) : s.backtest === null ? ['—'] : backtestResult(s.backtest)),
    );
    if (s.error !== null && (s.study !== null || s.backtest !== null))
      result.append(el('div', { class: 'warn', text: s.error }));
    // Only the files there are now (a running study has its study.json only).
    const files = tr.insertCell();
    const dataName = s.kind === 'study' ? 'study.json' : 'backtest.json';
    const present = [
      [s.report_url, 'report', 'report.html'],
      [s.report_json_url, 'report.json', 'report.json'],
      [s.data_url, dataName, dataName],
    ].filter(([href]) => href !== null);
    present.forEach(([href, text, file], i) => {
      if (i > 0) files.append(' · ');
      files.append(link(href, text, `${s.id}: ${file}`));
    });
  }
}

showTimeZone();
document.getElementById('reload').addEventListener('click', load);
load();
setInterval(() => {
  if (!document.hidden) load();
}, REFRESH_MS);
