// Shared helpers of the dashboard pages: JSON requests with the API's error messages, the control
// token (sessionStorage), number/unit and time formatting in the viewer's time zone, small DOM helpers.

/** Rupture classes, least to most severe (as the API sends them). */
export const RUPTURE_CLASSES = ['none', 'micro', 'meso', 'macro'];
const TOKEN_KEY = 'rigtune.apiToken';

/** An Error carrying the API's status and error code (`RT_API_*`). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function answer(res) {
  const text = await res.text();
  let body = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'HTTP', e?.message ?? `HTTP ${res.status}`);
  }
  return body;
}

/** GET `url` as JSON; throws ApiError with the API's message on an error status. */
export async function getJson(url) {
  return answer(await fetch(url, { headers: { accept: 'application/json' } }));
}

/** POST `body` as JSON with the stored token; throws ApiError with the API's message (401, 409…). */
export async function postJson(url, body) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const token = getToken();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return answer(await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) }));
}

/** The control token of this browser tab, or null. */
export function getToken() {
  const t = sessionStorage.getItem(TOKEN_KEY);
  return t === null || t === '' ? null : t;
}

export function setToken(token) {
  if (token === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** `+02:00` style offset of `date` from UTC in the viewer's time zone. */
export function utcOffset(date = new Date()) {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The viewer's time zone and offset, e.g. `Europe/Berlin (UTC+02:00)`. */
export function timeZoneLabel() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';
  return `${zone} (UTC${utcOffset()})`;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local time of epoch `ms`: `14:02:03`, or with `date`: `2024-05-01 14:02:03 UTC+02:00`. */
export function formatTime(ms, date = false) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (!date) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time} UTC${utcOffset(d)}`;
}

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** `value` with an SI prefix before `unit` (`37.0 TH/s`); `—` for null. */
export function si(value, unit, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < PREFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toPrecision(digits)} ${PREFIXES[i]}${unit}`;
}

/** `value` with `digits` decimals; `—` for null. */
export function fixed(value, digits, suffix = '') {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(digits)}${suffix}`;
}

/** An element with attributes (`class`, `text`, other attributes) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** Fills a rupture-class badge: colour and the class name as text (never colour alone). */
export function setClassBadge(node, cls) {
  const name = RUPTURE_CLASSES.includes(cls) ? cls : 'unknown';
  node.className = `cls cls-${name}`;
  node.textContent = cls ?? '—';
}

/** Shows the viewer's time zone in the header element `#tz`. */
export function showTimeZone() {
  const node = document.getElementById('tz');
  if (node !== null) node.textContent = `Times: ${timeZoneLabel()}`;
}

/** Marks the connection indicator `#conn` live or down. */
export function setConnection(live, text) {
  const node = document.getElementById('conn');
  if (node === null) return;
  node.className = `conn ${live ? 'live' : 'down'}`;
  node.textContent = text;
}

/**
 * Efficiency as fits the device: J/TH for ASICs (and any device over 1 GH/J), H/W with a prefix for
 * GPUs. `kpis` holds efficiency_h_per_j and efficiency_j_per_th; `hardware` is `asic`, `gpu` or null.
 */
export function formatEfficiency(hPerJ, jPerTh, hardware) {
  const asic = hardware === 'asic' || (hardware === null && hPerJ !== null && hPerJ >= 1e9);
  if (asic) return jPerTh === null ? '—' : `${jPerTh.toPrecision(3)} J/TH`;
  return si(hPerJ, 'H/W');
}
