// The fleet page: every device of every rig in one live table. Scores, classes, advice and raw readings
// arrive over /api/stream (SSE); /api/fleet gives the first full table, then modes every few seconds.

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

/** How often auto-tune modes, hardware and the kill switch are re-read from /api/fleet, ms. */
const MODES_MS = 5000;
const rank = (cls) => RUPTURE_CLASSES.indexOf(cls);

const COLUMNS = [
  {
    key: 'rig',
    label: 'Rig',
    text: (m) => m.rig,
    sort: (m) => m.rig,
    paint: (td, text, m) => {
      td.textContent = '';
      td.append(el('a', { href: `/rigs/${encodeURIComponent(m.rig)}`, text }));
    },
  },
  { key: 'device', label: 'Device', text: (m) => m.device, sort: (m) => m.device },
  {
    key: 'sep',
    label: 'sep_score',
    title: '0–100, higher is healthier',
    num: true,
    text: (m) => fixed(m.sep_score, 1),
    sort: (m) => m.sep_score,
  },
  {
    key: 'class',
    label: 'Rupture',
    text: (m) => m.rupture_class ?? '—',
    sort: (m) => (m.rupture_class === null ? null : rank(m.rupture_class)),
    defaultDir: -1,
    paint: (td, text) => {
      if (td.firstChild === null) td.append(document.createElement('span'));
      setClassBadge(td.firstChild, text === '—' ? null : text);
      td.parentElement.dataset.class = text;
    },
  },
  {
    key: 'hazard',
    label: 'Hazard',
    title: 'combined change hazard, 0–1',
    num: true,
    text: (m) => fixed(m.lambda_hazard, 2),
    sort: (m) => m.lambda_hazard,
    defaultDir: -1,
  },
  {
    key: 'eff',
    label: 'Efficiency',
    title: 'J/TH for ASICs (lower is better), H/W for GPUs (higher is better)',
    num: true,
    text: (m) => formatEfficiency(m.efficiency_h_per_j, m.efficiency_j_per_th, m.hardware),
    sort: (m) => m.efficiency_h_per_j,
  },
  {
    key: 'hashrate',
    label: 'Hashrate (vs expected)',
    num: true,
    text: (m) => {
      const h = m.readings?.hashrate_hs ?? null;
      const ratio = m.hashrate_ratio === null ? '' : ` · ${fixed(m.hashrate_ratio * 100, 0)} %`;
      return `${si(h, 'H/s')}${ratio}`;
    },
    sort: (m) => m.hashrate_ratio ?? null,
    paint: (td, text, m) => {
      td.textContent = text;
      td.classList.toggle('warn', m.hashrate_ratio !== null && m.hashrate_ratio < 0.9);
    },
  },
  {
    key: 'power',
    label: 'Power',
    num: true,
    text: (m) => fixed(m.readings?.power_w ?? null, 0, ' W'),
    sort: (m) => m.readings?.power_w ?? null,
    defaultDir: -1,
  },
  {
    key: 'temp',
    label: 'Hottest (to limit)',
    title: 'hottest sensor and its headroom to the thermal limit',
    num: true,
    text: (m) => {
      const t = fixed(m.readings?.temp_max_c ?? null, 0, ' °C');
      return m.thermal_headroom_c === null ? t : `${t} (${fixed(m.thermal_headroom_c, 0, ' °C')})`;
    },
    sort: (m) => m.readings?.temp_max_c ?? null,
    defaultDir: -1,
    paint: (td, text, m) => {
      td.textContent = text;
      td.classList.toggle('hot', m.thermal_headroom_c !== null && m.thermal_headroom_c < 5);
    },
  },
  {
    key: 'reject',
    label: 'Rejects',
    num: true,
    text: (m) => fixed(m.reject_rate === null ? null : m.reject_rate * 100, 2, ' %'),
    sort: (m) => m.reject_rate,
    defaultDir: -1,
  },
  { key: 'mode', label: 'Auto-tune', text: (m) => m.mode ?? '—', sort: (m) => m.mode },
  {
    key: 'advice',
    label: 'Advice',
    num: true,
    text: (m) => String(m.advice_open ?? 0),
    sort: (m) => m.advice_open ?? 0,
    defaultDir: -1,
  },
];

const SCORE_FIELDS = (d) => ({
  ts: d.ts,
  sep_score: d.sep_score,
  rupture_class: d.rupture_class,
  lambda_hazard: d.lambda_hazard,
  efficiency_h_per_j: d.kpis.efficiency_h_per_j,
  efficiency_j_per_th: d.kpis.efficiency_j_per_th,
  hashrate_ratio: d.kpis.hashrate_ratio,
  reject_rate: d.kpis.reject_rate,
  thermal_headroom_c: d.kpis.thermal_headroom_c,
});

/** A row with readings but no score yet. */
const NO_SCORES = {
  ts: null,
  sep_score: null,
  rupture_class: null,
  lambda_hazard: null,
  efficiency_h_per_j: null,
  efficiency_j_per_th: null,
  hashrate_ratio: null,
  reject_rate: null,
  thermal_headroom_c: null,
};

const table = new LiveTable(document.getElementById('fleet'), COLUMNS, {
  sortKey: 'class',
  sortDir: -1,
  onBind: (tr, m) => {
    tr.dataset.rig = m.rig;
    tr.dataset.device = m.device;
  },
  onFlush: () => summarize(),
});
/** Per rig: hardware, mode, and active advice by episode id → target device (null = rig-wide). */
const rigs = new Map();
let killSwitch = null;
let lastUpdateMs = null;

function rigOf(name) {
  let r = rigs.get(name);
  if (r === undefined) {
    r = { hardware: null, mode: null, advice: new Map() };
    rigs.set(name, r);
  }
  return r;
}

function adviceCount(r, device) {
  let n = 0;
  for (const target of r.advice.values()) if (target === null || target === device) n++;
  return n;
}

function applyState(state) {
  const r = rigOf(state.rig);
  for (const d of state.devices) {
    const key = `${state.rig}/${d.device}`;
    const held = table.get(key);
    if (held !== undefined && held.ts !== null && held.ts > d.ts) continue;
    table.upsert(key, {
      rig: state.rig,
      device: d.device,
      hardware: r.hardware,
      mode: r.mode,
      advice_open: adviceCount(r, d.device),
      ...(held === undefined ? { readings: null } : {}),
      ...SCORE_FIELDS(d),
    });
  }
  lastUpdateMs = Math.max(lastUpdateMs ?? 0, state.ts);
}

function applyAdvice(record) {
  const r = rigOf(record.rig);
  const p = record.payload;
  if (typeof p.id !== 'string') return;
  if (p.state === 'cleared') r.advice.delete(p.id);
  else r.advice.set(p.id, typeof p.target?.device === 'string' ? p.target.device : null);
  for (const [key, row] of table.rows)
    if (row.model.rig === record.rig) table.upsert(key, { advice_open: adviceCount(r, row.model.device) });
}

async function refreshFleet() {
  const fleet = await getJson('/api/fleet');
  killSwitch = fleet.kill_switch;
  for (const rr of fleet.rigs) {
    const r = rigOf(rr.rig);
    r.hardware = rr.hardware;
    r.mode = rr.mode;
  }
  const seen = new Set();
  for (const d of fleet.devices) {
    const key = `${d.rig}/${d.device}`;
    seen.add(key);
    const r = rigOf(d.rig);
    const held = table.get(key);
    const patch = { rig: d.rig, device: d.device, hardware: r.hardware, mode: r.mode };
    // Readings from the stream may be newer than this answer's.
    if (held === undefined || (d.readings !== null && !(held.readings?.ts > d.readings.ts)))
      patch.readings = d.readings;
    // Scores from the stream are at least as new as this answer's; take these only if newer.
    const newer = held === undefined || held.ts === null || (d.ts !== null && d.ts > held.ts);
    if (newer)
      Object.assign(patch, {
        ...d,
        advice_open: held === undefined ? d.advice_open : adviceCount(r, d.device),
      });
    table.upsert(key, patch);
  }
  for (const key of [...table.rows.keys()])
    if (!seen.has(key) && table.get(key).ts === null) table.remove(key);
}

/** One rig tick's raw readings from the stream: only the readings column cells change. */
function applyReadings(tick) {
  const r = rigOf(tick.rig);
  for (const d of tick.devices) {
    const key = `${tick.rig}/${d.device}`;
    const held = table.get(key);
    if (held?.readings != null && held.readings.ts > d.ts) continue;
    const { device, ...readings } = d;
    if (held === undefined)
      table.upsert(key, {
        rig: tick.rig,
        device,
        hardware: r.hardware,
        mode: r.mode,
        advice_open: adviceCount(r, device),
        ...NO_SCORES,
        readings,
      });
    else table.upsert(key, { readings });
  }
}

function summarize() {
  let devices = 0;
  const byClass = [0, 0, 0, 0];
  for (const row of table.rows.values()) {
    devices++;
    const i = rank(row.model.rupture_class);
    if (i >= 0) byClass[i]++;
  }
  let advice = 0;
  for (const r of rigs.values()) advice += r.advice.size;
  const ruptures = byClass[1] + byClass[2] + byClass[3];
  const { shown } = table.count();
  const parts = [
    `${rigs.size} rigs`,
    `${devices} devices${shown === devices ? '' : ` (${shown} shown)`}`,
    `${ruptures} in rupture (${byClass[1]} micro, ${byClass[2]} meso, ${byClass[3]} macro)`,
    `${advice} open advice`,
  ];
  if (killSwitch !== null) parts.push(`kill switch ${killSwitch.engaged ? 'ENGAGED' : 'released'}`);
  if (lastUpdateMs !== null) parts.push(`last update ${formatTime(lastUpdateMs)}`);
  const text = parts.join(' · ');
  const node = document.getElementById('summary');
  if (node.textContent !== text) node.textContent = text;
}

function applyFilter() {
  const text = document.getElementById('filter').value.trim().toLowerCase();
  const minClass = document.getElementById('class-filter').value;
  const adviceOnly = document.getElementById('advice-filter').checked;
  const min = minClass === '' ? -1 : rank(minClass);
  table.setFilter(
    (m) =>
      (text === '' || `${m.rig}/${m.device}`.toLowerCase().includes(text)) &&
      (min < 0 || rank(m.rupture_class) >= min) &&
      (!adviceOnly || (m.advice_open ?? 0) > 0),
  );
}

function connect() {
  const events = new EventSource('/api/stream?include=readings');
  events.addEventListener('open', () => setConnection(true, 'live'));
  events.addEventListener('error', () => setConnection(false, 'reconnecting…'));
  events.addEventListener('state', (e) => applyState(JSON.parse(e.data)));
  events.addEventListener('advice', (e) => applyAdvice(JSON.parse(e.data)));
  events.addEventListener('readings', (e) => applyReadings(JSON.parse(e.data)));
}

showTimeZone();
for (const id of ['filter', 'class-filter', 'advice-filter'])
  document.getElementById(id).addEventListener('input', applyFilter);
// The whole table first, so rows start complete; then the live stream; then modes now and then.
refreshFleet()
  .catch((err) => setConnection(false, `fleet: ${err.message}`))
  .finally(() => {
    connect();
    setInterval(() => {
      if (!document.hidden) refreshFleet().catch((err) => setConnection(false, `fleet: ${err.message}`));
    }, MODES_MS);
  });
// For the browser tests and the benchmark: the live table and its counters.
window.rigtuneFleet = table;
