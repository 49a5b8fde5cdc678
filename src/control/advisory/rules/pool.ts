// The rig-wide rule: check the pool when stratum latency is high or shares are rejected (or go stale)
// at a rate that is high with 95 % confidence. One advice per rig, whatever the number of devices.

import type { AdvisoryOptions } from '../options.ts';
import type { DeviceView, Finding, FindingGist } from '../types.ts';
import { type Band, band, fmt, lookGist, num } from './common.ts';

interface RejectReading {
  readonly device: string;
  readonly rate: number;
  readonly low: number | null;
  readonly shares: number;
  /** The scorer's reject-rise detector flags this device's reject_rate channel as changing. */
  readonly changing: boolean;
}

/**
 * check_pool over every device of a rig at one tick. Latency branch: the highest stratum_latency_ms
 * ≥ latency_trigger_ms (off ≤ latency_clear_ms). Reject branch, per device with ≥ min_shares shares in
 * the scorer's window: on when the lower bound of reject_rate_ci95 ≥ reject_trigger (the point
 * reject_rate when no interval is given), or when the scorer's reject_rate channel is changing (its
 * reject-rise detector confirmed a rise) with the rate above reject_clear; off when reject_rate ≤
 * reject_clear. Null when no device reports latency or a reject rate.
 */
export function checkPool(rig: string, views: readonly DeviceView[], o: AdvisoryOptions): Finding | null {
  const state = checkPoolState(rig, views, o);
  if (state === null) return null;
  const r = o.rules.check_pool;
  let latencyMs: number | null = null;
  const rejects: RejectReading[] = [];
  const changing = new Set<string>();
  for (const v of views) {
    const lat = num(v.snapshot?.stratum_latency_ms);
    if (lat !== null) latencyMs = Math.max(latencyMs ?? lat, lat);
    const k = v.tick.kpis;
    const rate = num(k.reject_rate);
    const shares = num(k.shares_in_window) ?? 0;
    if (rate !== null && shares >= r.min_shares)
      rejects.push({
        device: v.device,
        rate,
        low: num(k.reject_rate_ci95?.[0]),
        shares,
        changing: v.tick.channels_changing.includes('reject_rate'),
      });
    if (v.tick.channels_changing.includes('stratum_latency_ms')) changing.add(v.device);
  }
  const latency: Band | null =
    latencyMs === null ? null : band(latencyMs, r.latency_trigger_ms, r.latency_clear_ms, 'above');
  const worst = rejects.reduce<RejectReading | null>((a, b) => (a === null || b.rate > a.rate ? b : a), null);
  const anyRejectOn = rejects.some((x) => rejectBand(x.rate, x.low, x.changing, o) === 'on');
  const parts: string[] = [];
  if (latency === 'on' && latencyMs !== null) parts.push(`stratum latency is ${fmt(latencyMs, 0)} ms`);
  if (worst !== null && anyRejectOn)
    parts.push(
      `${worst.device} has ${fmt(100 * worst.rate)} % of its last ${fmt(worst.shares, 0)} shares rejected or stale`,
    );
  const what = parts.length > 0 ? parts.join(' and ') : 'pool latency or rejects are raised';
  return {
    kind: 'check_pool',
    target: { rig, device: null, board: null },
    state,
    severity: checkPoolGist(rig, views, o).severity,
    delta: null,
    reason: `On ${rig} ${what}: check the pool (server, region, network path, difficulty).`,
    evidence: {
      stratum_latency_ms: latencyMs,
      latency_trigger_ms: r.latency_trigger_ms,
      reject_rate: worst === null ? null : Number(worst.rate.toFixed(4)),
      reject_rate_low95: worst?.low === null || worst === null ? null : Number(worst.low.toFixed(4)),
      shares_in_window: worst?.shares ?? null,
      reject_device: worst?.device ?? null,
      reject_rate_changing_on:
        rejects
          .filter((x) => x.changing)
          .map((x) => x.device)
          .join(',') || null,
      latency_changing_on: [...changing].join(',') || null,
    },
  };
}

/** One device's reject band: on at a confident high rate, or above the clear rate while rising. */
function rejectBand(rate: number, low: number | null, changing: boolean, o: AdvisoryOptions): Band {
  const r = o.rules.check_pool;
  if ((low ?? rate) >= r.reject_trigger) return 'on';
  if (rate <= r.reject_clear) return 'off';
  return changing ? 'on' : 'hold';
}

/**
 * check_pool's verdict alone (no allocation): its state, null when it returns null. Any branch on →
 * on; every known branch off → off; otherwise hold (the branches are checkPool's).
 */
export function checkPoolState(_rig: string, views: readonly DeviceView[], o: AdvisoryOptions): Band | null {
  const r = o.rules.check_pool;
  let latencyMs: number | null = null;
  let known = 0;
  let off = 0;
  for (let i = 0; i < views.length; i++) {
    const v = views[i];
    const lat = num(v.snapshot?.stratum_latency_ms);
    if (lat !== null) latencyMs = Math.max(latencyMs ?? lat, lat);
    const k = v.tick.kpis;
    const rate = num(k.reject_rate);
    if (rate === null || (num(k.shares_in_window) ?? 0) < r.min_shares) continue;
    known += 1;
    const changing = v.tick.channels_changing.includes('reject_rate');
    const b = rejectBand(rate, num(k.reject_rate_ci95?.[0]), changing, o);
    if (b === 'on') return 'on';
    if (b === 'off') off += 1;
  }
  if (latencyMs !== null) {
    const latency = band(latencyMs, r.latency_trigger_ms, r.latency_clear_ms, 'above');
    if (latency === 'on') return 'on';
    known += 1;
    if (latency === 'off') off += 1;
  }
  if (known === 0) return null;
  return off === known ? 'off' : 'hold';
}

/**
 * check_pool's severity and delta (none): critical at the highest latency ≥ latency_critical_ms, or
 * when the device with the highest reject rate (first of equals) is confidently ≥ reject_critical.
 */
export function checkPoolGist(_rig: string, views: readonly DeviceView[], o: AdvisoryOptions): FindingGist {
  const r = o.rules.check_pool;
  let latencyMs: number | null = null;
  let worstRate: number | null = null;
  let worstLow: number | null = null;
  for (const v of views) {
    const lat = num(v.snapshot?.stratum_latency_ms);
    if (lat !== null) latencyMs = Math.max(latencyMs ?? lat, lat);
    const k = v.tick.kpis;
    const rate = num(k.reject_rate);
    if (rate === null || (num(k.shares_in_window) ?? 0) < r.min_shares) continue;
    if (worstRate === null || rate > worstRate) {
      worstRate = rate;
      worstLow = num(k.reject_rate_ci95?.[0]);
    }
  }
  const critical =
    (latencyMs !== null && latencyMs >= r.latency_critical_ms) ||
    (worstRate !== null && (worstLow ?? worstRate) >= r.reject_critical);
  return lookGist(critical ? 'critical' : 'warning');
}
