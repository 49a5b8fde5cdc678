// Rules that send someone to look at hardware: a stalled fan, a hashboard below expected or missing,
// a device hashing below expected, and a device that stopped sending (fresh) readings.

import type { AdvisoryOptions } from '../options.ts';
import type { DeviceView, Finding, Severity } from '../types.ts';
import {
  type Band,
  band,
  boardIndex,
  deviceTarget,
  escalate,
  fmt,
  nameOf,
  num,
  scoreEvidence,
} from './common.ts';

/** check_fan: the fan is commanded to ≥ min_fan_pct but its tachometer reads ≤ stalled_rpm. */
export function checkFan(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const pct = num(view.snapshot?.fan_pct);
  const rpm = num(view.snapshot?.fan_rpm);
  if (pct === null || rpm === null) return null;
  const r = o.rules.check_fan;
  const state: Band = pct >= r.min_fan_pct ? band(rpm, r.stalled_rpm, r.clear_rpm, 'below') : 'off';
  return {
    kind: 'check_fan',
    target: deviceTarget(view),
    state,
    severity: 'critical',
    delta: null,
    reason: `${nameOf(view)}'s fan reads ${fmt(rpm, 0)} RPM while commanded to ${fmt(pct, 0)} %: check the fan (stalled, failed or unplugged).`,
    evidence: { ...scoreEvidence(view), fan_pct: pct, fan_rpm: rpm, stalled_rpm: r.stalled_rpm },
  };
}

const READING_FIELDS = [
  'hashrate_5s',
  'hashrate_1m',
  'power_w',
  'temp_core_c',
  'temp_mem_c',
  'temp_chip_max_c',
  'fan_pct',
  'clock_core_mhz',
] as const;

/** True when the sample carries none of the main readings (a GPU fallen off the bus, a dead API). */
export function hasNoReadings(view: DeviceView): boolean {
  const s = view.snapshot;
  return s !== null && READING_FIELDS.every((f) => num(s[f]) === null);
}

/** A board that hashes nothing and reports no temperature or frequency: gone from the chain. */
function isBoardMissing(view: DeviceView): boolean {
  const s = view.snapshot;
  if (s === null) return false;
  const rate = num(s.hashrate_5s) ?? num(s.hashrate_1m);
  const noSensors = num(s.temp_core_c) === null && num(s.temp_chip_max_c) === null;
  return (rate === null || rate === 0) && noSensors && num(s.clock_core_mhz) === null;
}

function ratioSeverity(ratio: number | null, critical: number): Severity {
  return ratio !== null && ratio <= critical ? 'critical' : 'warning';
}

/** inspect_hashboard: a `board<N>` device with hashrate_ratio ≤ ratio_trigger, or missing (critical). */
export function inspectHashboard(view: DeviceView, o: AdvisoryOptions): Finding | null {
  if (view.board === null) return null;
  const r = o.rules.inspect_hashboard;
  const ratio = num(view.tick.kpis.hashrate_ratio);
  const missing = isBoardMissing(view);
  const state: Band = missing ? 'on' : band(ratio, r.ratio_trigger, r.ratio_clear, 'below');
  const reason = missing
    ? `${nameOf(view)} hashes nothing and reports no temperature or frequency: inspect hashboard ${view.board} (missing from the chain).`
    : `${nameOf(view)} hashes at ${fmt(100 * (ratio ?? 0), 0)} % of its expected rate: inspect hashboard ${view.board} (chips, connectors, voltage).`;
  return {
    kind: 'inspect_hashboard',
    target: deviceTarget(view),
    state,
    severity: missing ? 'critical' : escalate(ratioSeverity(ratio, r.ratio_critical), view, o),
    delta: null,
    reason,
    evidence: {
      ...scoreEvidence(view),
      hashrate_ratio: ratio,
      hashrate_5s: num(view.snapshot?.hashrate_5s),
      hashrate_expected: num(view.snapshot?.hashrate_expected),
      board_missing: missing,
    },
  };
}

/** inspect_device: a device that is not a board (a GPU, a miner total) with hashrate_ratio ≤ ratio_trigger. */
export function inspectDevice(view: DeviceView, o: AdvisoryOptions): Finding | null {
  if (view.board !== null) return null;
  const ratio = num(view.tick.kpis.hashrate_ratio);
  if (ratio === null) return null;
  const r = o.rules.inspect_device;
  return {
    kind: 'inspect_device',
    target: deviceTarget(view),
    state: band(ratio, r.ratio_trigger, r.ratio_clear, 'below'),
    severity: escalate(ratioSeverity(ratio, r.ratio_critical), view, o),
    delta: null,
    reason: `${nameOf(view)} hashes at ${fmt(100 * ratio, 0)} % of its expected rate: inspect the device (the other advice says why when it knows).`,
    evidence: {
      ...scoreEvidence(view),
      hashrate_ratio: ratio,
      hashrate_5s: num(view.snapshot?.hashrate_5s),
      hashrate_expected: num(view.snapshot?.hashrate_expected),
    },
  };
}

/**
 * device_stale from a scored sample: on when the sample carries no readings at all (persisting like
 * any rule), off when it carries some and the device is fresh. The stale/missing events of the ingest
 * scheduler are handled by the engine (see staleFromFreshness).
 */
export function deviceStale(view: DeviceView, _o: AdvisoryOptions): Finding | null {
  if (view.snapshot === null) return null;
  const empty = hasNoReadings(view);
  const state: Band = empty ? 'on' : view.freshness === 'fresh' ? 'off' : 'hold';
  return {
    kind: 'device_stale',
    target: deviceTarget(view),
    state,
    severity: 'critical',
    delta: null,
    reason: `${nameOf(view)} answers but reports no readings (hash rate, power, temperatures all missing): check the device and its driver.`,
    evidence: { ...scoreEvidence(view), no_readings: empty, freshness: view.freshness },
  };
}

/** device_stale from an ingest freshness report: on for stale or missing, off for fresh. */
export function staleFromFreshness(
  rig: string,
  device: string,
  state: 'fresh' | 'stale' | 'missing',
  lastFreshMs: number | null,
  nowMs: number,
): Finding {
  const ago = lastFreshMs === null ? null : Math.max(0, Math.round((nowMs - lastFreshMs) / 1000));
  const since = ago === null ? 'since the service started' : `for ${ago} s`;
  const what =
    state === 'missing'
      ? `nothing was read from ${rig}/${device} ${since}`
      : `${rig}/${device} sent only unchanged re-reads ${since}`;
  return {
    kind: 'device_stale',
    target: { rig, device, board: boardIndex(device) },
    state: state === 'fresh' ? 'off' : 'on',
    severity: state === 'missing' ? 'critical' : 'warning',
    delta: null,
    reason: `No fresh samples: ${what}; check the miner, its API and the network.`,
    evidence: { freshness: state, last_fresh_ms: lastFreshMs, seconds_since_fresh: ago },
  };
}
