// The studies page: every A-B-A study and backtest on disk (GET /api/studies), newest first, with
// links to their HTML reports and JSON; reloaded on demand and every half minute.

import { el, formatTime, getJson, setConnection, showTimeZone } from './common.js';

const REFRESH_MS = 30_000;

function link(href, text) {
  return href === null
    ? el('span', { class: 'muted', text: '—' })
    : el('a', { href, text, target: '_blank', rel: 'noopener' });
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
    tr.insertCell().textContent = s.kind === 'study' ? 'A-B-A study' : 'backtest';
    const name = tr.insertCell();
    name.append(link(s.report_url, s.title ?? s.id));
    if (s.title !== null) name.append(el('div', { class: 'muted', text: s.id }));
    tr.insertCell().textContent =
      s.error !== null
        ? `unreadable: ${s.error}`
        : (s.status ?? (s.report_url === null ? 'in progress' : '—'));
    tr.insertCell().textContent = formatTime(s.created_ms, true);
    tr.insertCell().textContent = formatTime(s.updated_ms, true);
    const files = tr.insertCell();
    files.append(
      link(s.report_url, 'report'),
      ' · ',
      link(s.report_json_url, 'report.json'),
      ' · ',
      link(s.data_url, s.kind === 'study' ? 'study.json' : 'backtest.json'),
    );
  }
}

showTimeZone();
document.getElementById('reload').addEventListener('click', load);
load();
setInterval(() => {
  if (!document.hidden) load();
}, REFRESH_MS);
