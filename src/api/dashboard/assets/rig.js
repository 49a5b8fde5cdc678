// The rig page: its devices (per-board health for ASICs), live charts over the last minutes to hours,
// open advice, the action log and the auto-tune controls; history first, then live from /api/stream.

import {
  el,
  fixed,
  formatEfficiency,
  formatTime,
  getJson,
  RUPTURE_CLASSES,
  setClassBadge,
  setConnection,
  showTimeZone,
  si,
} from './common.js';
import { LiveTable } from './live-table.js';
import { HISTORY_FIELDS, RigCharts, SeriesStore } from './rig-charts.js';
import { RigControls } from './rig-controls.js';
import { renderActions, renderAdvice } from './rig-panels.js';

const rig = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const api = `/api/rigs/${encodeURIComponent(rig)}`;
const POLL_MS = 5000;
const store = new SeriesStore();
const charts = new RigCharts(document.getElementById('charts'));
const advice = new Map();
let actions = [];
let hardware = null;
let historyTo = null;
let drawn = -1;

const DEVICE_COLUMNS = [
  { key: 'device', label: 'Device / board', text: (m) => m.device, sort: (m) => m.device },
  {
    key: 'class',
    label: 'Rupture',
    text: (m) => m.rupture_class ?? '—',
    sort: (m) => RUPTURE_CLASSES.indexOf(m.rupture_class),
    defaultDir: -1,
    paint: (td, text) => {
      if (td.firstChild === null) td.append(document.createElement('span'));
      setClassBadge(td.firstChild, text === '—' ? null : text);
    },
  },
  { key: 'sep', label: 'sep_score', num: true, text: (m) => fixed(m.sep_score, 1), sort: (m) => m.sep_score },
  {
    key: 'hazard',
    label: 'Hazard',
    num: true,
    text: (m) => fixed(m.lambda_hazard, 2),
    sort: (m) => m.lambda_hazard,
  },
  {
    key: 'hashrate',
    label: 'Hashrate',
    num: true,
    text: (m) => si(m.readings?.hashrate_hs ?? null, 'H/s'),
    sort: (m) => m.readings?.hashrate_hs ?? null,
  },
  {
    key: 'power',
    label: 'Power',
    num: true,
    text: (m) => fixed(m.readings?.power_w ?? null, 0, ' W'),
    sort: (m) => m.readings?.power_w ?? null,
  },
  {
    key: 'temp',
    label: 'Hottest (to limit)',
    num: true,
    text: (m) => {
      const t = fixed(m.readings?.temp_max_c ?? null, 0, ' °C');
      return m.thermal_headroom_c === null ? t : `${t} (${fixed(m.thermal_headroom_c, 0, ' °C')})`;
    },
    sort: (m) => m.readings?.temp_max_c ?? null,
  },
  {
    key: 'fan',
    label: 'Fan',
    num: true,
    text: (m) =>
      m.readings?.fan_pct != null
        ? fixed(m.readings.fan_pct, 0, ' %')
        : fixed(m.readings?.fan_rpm ?? null, 0, ' rpm'),
  },
  {
    key: 'hw',
    label: 'HW errors',
    num: true,
    text: (m) => fixed(m.readings?.hw_errors ?? null, 0),
    sort: (m) => m.readings?.hw_errors ?? null,
  },
  {
    key: 'eff',
    label: 'Efficiency',
    num: true,
    text: (m) => formatEfficiency(m.efficiency_h_per_j, m.efficiency_j_per_th, hardware),
    sort: (m) => m.efficiency_h_per_j,
  },
  {
    key: 'advice',
    label: 'Advice',
    num: true,
    text: (m) => String(adviceFor(m.device)),
    sort: (m) => adviceFor(m.device),
  },
];
const devices = new LiveTable(document.getElementById('devices'), DEVICE_COLUMNS, {
  onBind: (tr, m) => {
    tr.dataset.device = m.device;
  },
});

function adviceFor(device) {
  let n = 0;
  for (const p of advice.values()) if ((p.target?.device ?? null) === null || p.target.device === device) n++;
  return n;
}

function scoreFields(d) {
  return {
    sep_score: d.sep_score,
    rupture_class: d.rupture_class,
    lambda_hazard: d.lambda_hazard,
    efficiency_h_per_j: d.kpis.efficiency_h_per_j,
    efficiency_j_per_th: d.kpis.efficiency_j_per_th,
    thermal_headroom_c: d.kpis.thermal_headroom_c,
  };
}

function applyState(state) {
  for (const d of state.devices) {
    const fields = scoreFields(d);
    store.merge(d.ts, d.device, fields);
    const held = devices.get(d.device);
    if (held === undefined || (held.ts ?? 0) <= d.ts)
      devices.upsert(d.device, { device: d.device, ts: d.ts, ...fields });
  }
  document.getElementById('updated').textContent = `last update ${formatTime(state.ts, true)}`;
  scheduleDraw();
}

function applyAdvice(record) {
  const p = record.payload;
  if (typeof p.id !== 'string') return;
  if (p.state === 'cleared') advice.delete(p.id);
  else advice.set(p.id, p);
  renderAdvice(document.getElementById('advice'), advice);
  for (const key of devices.rows.keys()) devices.upsert(key, {});
  scheduleDraw(true);
}

function marks() {
  const out = [];
  for (const p of advice.values()) out.push({ ts: p.raised_ms ?? 0, kind: 'advice' });
  for (const a of actions) out.push({ ts: a.ts, kind: 'action' });
  return out;
}

let drawPending = false;
function scheduleDraw(force = false) {
  if (force) drawn = -1;
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    if (store.version === drawn) return;
    drawn = store.version;
    store.trim(Date.now() - charts.windowMs);
    charts.render(store, marks());
  });
}

async function loadHistory() {
  const now = Date.now();
  // Incremental after the first load: from a little before the last answer's end (rows still landing).
  const from = historyTo === null ? now - charts.windowMs : historyTo - 5000;
  const q = new URLSearchParams({
    from: String(from),
    to: String(now),
    fields: HISTORY_FIELDS.join(','),
    limit: '100000',
  });
  try {
    const h = await getJson(`${api}/history?${q}`);
    for (const r of h.rows) store.merge(r.ts, r.device, r);
    historyTo = now;
    document.getElementById('history-note').textContent = h.truncated
      ? 'History truncated: showing the oldest rows.'
      : '';
  } catch (err) {
    document.getElementById('history-note').textContent = `History unavailable: ${err.message}`;
  }
  scheduleDraw();
}

async function loadReadings() {
  const fleet = await getJson(`/api/fleet?rig=${encodeURIComponent(rig)}`);
  hardware = fleet.rigs[0]?.hardware ?? null;
  for (const d of fleet.devices) {
    const held = devices.get(d.device);
    const patch = { device: d.device, readings: d.readings };
    if (held === undefined || (d.ts !== null && d.ts > (held.ts ?? 0))) Object.assign(patch, d);
    devices.upsert(d.device, patch);
  }
}

async function loadActions() {
  try {
    actions = (await getJson(`${api}/actions?limit=200`)).actions;
  } catch (err) {
    actions = [];
    if (err.status !== 404 && err.status !== 503) throw err;
  }
  renderActions(document.getElementById('actions').tBodies[0], actions);
  scheduleDraw(true);
}

async function start() {
  showTimeZone();
  document.title = `rigtune · ${rig}`;
  document.getElementById('rig-name').textContent = `Rig ${rig}`;
  document.getElementById('crumb-rig').textContent = rig;
  let info;
  try {
    info = await getJson(api);
  } catch (err) {
    document.getElementById('rig-status').textContent = err.message;
    return;
  }
  const sources = info.sources.map((s) => `${s.kind} ${s.status}`).join(', ');
  document.getElementById('rig-status').textContent =
    `${info.status}${sources ? ` · sources: ${sources}` : ''}`;
  for (const a of info.advice) applyAdvice(a);
  renderAdvice(document.getElementById('advice'), advice);
  const controls = new RigControls(rig, () => loadActions().catch(() => {}));
  await Promise.allSettled([loadReadings(), loadHistory(), loadActions(), controls.refresh()]);
  if (info.state !== null) applyState(info.state);
  const events = new EventSource(`/api/stream?rig=${encodeURIComponent(rig)}`);
  events.addEventListener('open', () => setConnection(true, 'live'));
  events.addEventListener('error', () => setConnection(false, 'reconnecting…'));
  events.addEventListener('state', (e) => applyState(JSON.parse(e.data)));
  events.addEventListener('advice', (e) => applyAdvice(JSON.parse(e.data)));
  setInterval(() => {
    if (document.hidden) return;
    Promise.allSettled([loadHistory(), loadReadings(), loadActions(), controls.refresh()]);
  }, POLL_MS);
  for (const b of document.querySelectorAll('[data-window]'))
    b.addEventListener('click', () => {
      for (const o of document.querySelectorAll('[data-window]'))
        o.setAttribute('aria-pressed', String(o === b));
      charts.windowMs = Number(b.dataset.window) * 60_000;
      historyTo = null;
      loadHistory();
    });
}

start();
// For the browser tests: the uPlot instances and the device table.
window.rigtuneRig = { charts, devices, store, el };
