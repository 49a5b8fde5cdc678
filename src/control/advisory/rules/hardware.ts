// Rules that send someone to look at hardware: a stalled fan, a hashboard below expected or missing,
// a device hashing below expected, and a device that stopped sending (fresh) readings.

import type { AdvisoryOptions } from '../options.ts';
import type { DeviceView, Finding, FindingGist, Severity } from '../types.ts';
import {
  type Band,
  band,
  boardIndex,
  CRITICAL_LOOK,
  deviceTarget,
  escalate,
  fmt,
  lookGist,
  nameOf,
  num,
  scoreEvidence,
} from './common.ts';

/** check_fan's verdict alone (no allocation): its state, null when it returns null. */
export function checkFanState(view: DeviceView, o: AdvisoryOptions): Band | null {
  const pct = num(view.snapshot?.fan_pct);
  const rpm = num(view.snapshot?.fan_rpm);
  if (pct === null || rpm === null) return null;
  const r = o.rules.check_fan;
  return pct >= r.min_fan_pct ? band(rpm, r.stalled_rpm, r.clear_rpm, 'below') : 'off';
}

/** check_fan: the fan is commanded to ≥ min_fan_pct but its tachometer reads ≤ stalled_rpm. */
export function checkFan(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = checkFanState(view, o);
  if (state === null) return null;
  const pct = num(view.snapshot?.fan_pct) as number;
  const rpm = num(view.snapshot?.fan_rpm) as number;
  const r = o.rules.check_fan;
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

/**
 * True when the sample carries none of the main readings (hash rates, power, temperatures, fan duty,
 * core clock): a GPU fallen off the bus, a dead API.
 */
export function hasNoReadings(view: DeviceView): boolean {
  const s = view.snapshot;
  if (s === null) return false;
  // A pool endpoint (`pool:host:port`, the stratum probe's and the miners' pool devices) has one reading.
  if (view.device.startsWith('pool:')) return num(s.stratum_latency_ms) === null;
  // Named loads, not a loop over field names: this runs on every device tick.
  return (
    num(s.hashrate_5s) === null &&
    num(s.hashrate_1m) === null &&
    num(s.power_w) === null &&
    num(s.temp_core_c) === null &&
    num(s.temp_mem_c) === null &&
    num(s.temp_chip_max_c) === null &&
    num(s.fan_pct) === null &&
    num(s.clock_core_mhz) === null
  );
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

/** inspect_hashboard's verdict alone (no allocation): its state, null when it returns null. */
export function inspectHashboardState(view: DeviceView, o: AdvisoryOptions): Band | null {
  if (view.board === null) return null;
  const r = o.rules.inspect_hashboard;
  return isBoardMissing(view)
    ? 'on'
    : band(num(view.tick.kpis.hashrate_ratio), r.ratio_trigger, r.ratio_clear, 'below');
}

/** inspect_hashboard: a `board<N>` device with hashrate_ratio ≤ ratio_trigger, or missing (critical). */
export function inspectHashboard(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = inspectHashboardState(view, o);
  if (state === null) return null;
  const ratio = num(view.tick.kpis.hashrate_ratio);
  const missing = isBoardMissing(view);
  const reason = missing
    ? `${nameOf(view)} hashes nothing and reports no temperature or frequency: inspect hashboard ${view.board} (missing from the chain).`
    : `${nameOf(view)} hashes at ${fmt(100 * (ratio ?? 0), 0)} % of its expected rate: inspect hashboard ${view.board} (chips, connectors, voltage).`;
  return {
    kind: 'inspect_hashboard',
    target: deviceTarget(view),
    state,
    severity: inspectHashboardGist(view, o).severity,
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

/** inspect_hashboard's severity and delta (none), for a board. */
export function inspectHashboardGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  if (isBoardMissing(view)) return CRITICAL_LOOK;
  const ratio = num(view.tick.kpis.hashrate_ratio);
  return lookGist(escalate(ratioSeverity(ratio, o.rules.inspect_hashboard.ratio_critical), view, o));
}

/** inspect_device's severity and delta (none), for a device with a hash-rate ratio. */
export function inspectDeviceGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  const ratio = num(view.tick.kpis.hashrate_ratio);
  return lookGist(escalate(ratioSeverity(ratio, o.rules.inspect_device.ratio_critical), view, o));
}

/** check_fan's and device_stale's severity and delta: always critical, nothing to set. */
export function criticalGist(_view: DeviceView, _o: AdvisoryOptions): FindingGist {
  return CRITICAL_LOOK;
}

/** inspect_device's verdict alone (no allocation): its state, null when it returns null. */
export function inspectDeviceState(view: DeviceView, o: AdvisoryOptions): Band | null {
  if (view.board !== null) return null;
  const ratio = num(view.tick.kpis.hashrate_ratio);
  if (ratio === null) return null;
  const r = o.rules.inspect_device;
  return band(ratio, r.ratio_trigger, r.ratio_clear, 'below');
}

/** inspect_device: a device that is not a board (a GPU, a miner total) with hashrate_ratio ≤ ratio_trigger. */
export function inspectDevice(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = inspectDeviceState(view, o);
  if (state === null) return null;
  const ratio = num(view.tick.kpis.hashrate_ratio) as number;
  return {
    kind: 'inspect_device',
    target: deviceTarget(view),
    state,
    severity: inspectDeviceGist(view, o).severity,
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
export function deviceStale(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = deviceStaleState(view, o);
  if (state === null) return null;
  const empty = state === 'on';
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

/** device_stale's verdict on a scored sample alone (no allocation): its state, null when it returns null. */
export function deviceStaleState(view: DeviceView, _o: AdvisoryOptions): Band | null {
  if (view.snapshot === null) return null;
  return hasNoReadings(view) ? 'on' : view.freshness === 'fresh' ? 'off' : 'hold';
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
