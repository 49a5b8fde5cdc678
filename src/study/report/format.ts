// Number, percentage, interval, time and duration formatting for reports: one place decides how many
// digits a figure shows, so the prose, the tables and the chart labels agree.

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * `—` for null/non-finite; else `digits` significant digits: plain for everyday sizes, with an SI
 * prefix from 100 000 up (`499 k`, `123 M`, `4.5 G`), exponent below 1e-4.
 */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 && abs < 1e21) {
    const k = Math.min(SI.length - 1, Math.floor(Math.log10(abs) / 3));
    return `${formatNumber(value / 10 ** (3 * k), digits)} ${SI[k]}`;
  }
  if (abs >= 1e21 || abs < 1e-4) return value.toExponential(Math.max(0, digits - 1));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return trimZeros(value.toFixed(Math.min(decimals, 8)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A value with a fixed number of decimals (`—` for null/non-finite). */
export function formatFixed(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = value.toFixed(decimals);
  return text === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : text;
}

/** A percentage given in percent units: `3.1 %`; `signed` adds `+` to positive values. */
export function formatPct(value: number | null | undefined, decimals = 1, signed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = formatFixed(value, decimals);
  return `${signed && value > 0 && Number(text) !== 0 ? '+' : ''}${text} %`;
}

/** An interval `low–high` with the same formatter for both ends; `—` when either end is missing. */
export function formatInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  format: (v: number) => string = (v) => formatNumber(v),
): string {
  if (low === null || low === undefined || high === null || high === undefined) return '—';
  if (!Number.isFinite(low) || !Number.isFinite(high)) return '—';
  return `${format(low)} – ${format(high)}`;
}

/** Epoch ms as `YYYY-MM-DD HH:MM:SSZ` (UTC). */
export function formatTimeUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Epoch ms as `HH:MM` (UTC), or `HH:MM:SS` when `seconds`. */
export function formatClockUtc(ms: number, seconds = false): string {
  const iso = new Date(ms).toISOString();
  return seconds ? iso.slice(11, 19) : iso.slice(11, 16);
}

/** A duration in ms as `1h02m`, `4m05s` or `6.5s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.abs(ms) / 1000;
  const sign = ms < 0 ? '-' : '';
  if (s < 60) return `${sign}${trimZeros(s.toFixed(1))}s`;
  const totalS = Math.round(s);
  const totalMin = Math.floor(totalS / 60);
  if (totalMin < 60) return `${sign}${totalMin}m${String(totalS % 60).padStart(2, '0')}s`;
  const h = Math.floor(totalMin / 60);
  const d = Math.floor(h / 24);
  const m = totalMin % 60;
  return d > 0
    ? `${sign}${d}d${String(h % 24).padStart(2, '0')}h`
    : `${sign}${h}h${String(m).padStart(2, '0')}m`;
}

/** A p-value: `< 0.001`, else three decimals; `—` for null. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
