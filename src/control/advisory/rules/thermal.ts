// Rules on heat and power: raise the fan while it has headroom, lower the power limit once it has
// none (or when efficiency falls below its recent norm while the device runs at its power limit).

import type { AdvisoryOptions } from '../options.ts';
import type { DeviceView, Finding, FindingGist } from '../types.ts';
import {
  allOf,
  anyOf,
  type Band,
  band,
  deviceTarget,
  escalate,
  fmt,
  hasFanHeadroom,
  hotBandOf,
  hottestOverC,
  hottestSensor,
  isFanStalled,
  nameOf,
  num,
  scoreEvidence,
} from './common.ts';

/** raise_fan's verdict alone (no allocation): what raiseFan's state is, null when it returns null. */
export function raiseFanState(view: DeviceView, o: AdvisoryOptions): Band | null {
  if (num(view.snapshot?.fan_pct) === null) return null;
  return hasFanHeadroom(view, o) ? hotBandOf(hottestOverC(view, o), o) : 'off';
}

/**
 * raise_fan: hot (a sensor at or past its hot mark) while the fan is below `fan_max_pct` and turning.
 * Off once cool again or once the fan has no headroom (lower_power_limit takes over). Null for a
 * device without a fan duty reading (datacenter GPUs, ASIC boards).
 */
export function raiseFan(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = raiseFanState(view, o);
  if (state === null) return null;
  const fanPct = num(view.snapshot?.fan_pct) as number;
  const r = o.rules.raise_fan;
  const hot = hottestSensor(view, o);
  const evidence = {
    ...scoreEvidence(view),
    fan_pct: fanPct,
    fan_rpm: num(view.snapshot?.fan_rpm),
    fan_max_pct: r.fan_max_pct,
    ...(hot === null ? {} : { [hot.field]: hot.tempC, hot_mark_c: hot.hotC }),
  };
  const { severity, delta } = raiseFanGist(view, o);
  const reason =
    hot === null
      ? ''
      : `${nameOf(view)} runs hot (${hot.label} ${fmt(hot.tempC)} °C, hot mark ${fmt(hot.hotC)} °C) with its fan at ${fmt(fanPct, 0)} %: raise the fan by ${fmt(r.step_pct, 0)} points.`;
  return {
    kind: 'raise_fan',
    target: deviceTarget(view),
    state,
    severity,
    delta,
    reason,
    evidence,
  };
}

/** raise_fan's severity and delta (for a device raiseFan applies to). */
export function raiseFanGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  const overC = hottestOverC(view, o);
  const critical = overC !== null && overC >= o.thermal.critical_over_c;
  return {
    severity: escalate(critical ? 'critical' : 'warning', view, o),
    delta: { setpoint: 'fan_pct', by: o.rules.raise_fan.step_pct, unit: '%' },
  };
}

/** The suggested cut for a power limit, W (negative): step_frac of it, at least min_step_w, whole watts. */
export function powerCutW(limitW: number, o: AdvisoryOptions): number {
  const r = o.rules.lower_power_limit;
  return -Math.max(r.min_step_w, Math.round(r.step_frac * limitW));
}

/**
 * lower_power_limit, two branches (either fires it, both must clear):
 * - thermal: hot and the fan cannot help (no duty reading, at or above `fan_max_pct`, or stalled);
 * - efficiency: eff_norm ≤ `eff_norm_trigger` while power_w ≥ `high_power_frac` × power_limit_w.
 * Null for a device without a power limit reading (ASIC boards: the miner total carries it).
 */
export function lowerPowerLimit(view: DeviceView, o: AdvisoryOptions): Finding | null {
  const state = lowerPowerLimitState(view, o);
  if (state === null) return null;
  const limitW = num(view.snapshot?.power_limit_w) as number;
  const powerW = num(view.snapshot?.power_w);
  const effNorm = num(view.tick.kpis.eff_norm);
  const hot = hottestSensor(view, o);
  const thermal = thermalBand(view, o);
  const { severity, delta } = lowerPowerLimitGist(view, o);
  const byW = powerCutW(limitW, o);
  const fanPct = num(view.snapshot?.fan_pct);
  const evidence = {
    ...scoreEvidence(view),
    power_w: powerW,
    power_limit_w: limitW,
    eff_norm: effNorm,
    fan_pct: fanPct,
    fan_stalled: isFanStalled(view, o),
    ...(hot === null ? {} : { [hot.field]: hot.tempC, hot_mark_c: hot.hotC }),
  };
  const cut = `lower its power limit by ${fmt(-byW, 0)} W (${fmt(limitW, 0)} → ${fmt(limitW + byW, 0)} W)`;
  const fanText =
    fanPct === null
      ? 'no fan control'
      : isFanStalled(view, o)
        ? 'a stalled fan'
        : `its fan at ${fmt(fanPct, 0)} %`;
  let reason: string;
  if (thermal === 'on' && hot !== null) {
    reason = `${nameOf(view)} runs hot (${hot.label} ${fmt(hot.tempC)} °C, hot mark ${fmt(hot.hotC)} °C) with ${fanText}: ${cut}.`;
  } else {
    const eff = effNorm === null ? 'unknown' : fmt(effNorm, 2);
    const pw = powerW === null ? 'unknown' : `${fmt(powerW, 0)} W`;
    reason = `${nameOf(view)} is less efficient than its recent norm (eff_norm ${eff}) at ${pw} of its ${fmt(limitW, 0)} W limit: ${cut}.`;
  }
  return {
    kind: 'lower_power_limit',
    target: deviceTarget(view),
    state,
    severity,
    delta,
    reason,
    evidence,
  };
}

/** The thermal branch of lower_power_limit: hot while the fan cannot help (off while it can). */
function thermalBand(view: DeviceView, o: AdvisoryOptions): Band {
  return hasFanHeadroom(view, o) ? 'off' : hotBandOf(hottestOverC(view, o), o);
}

/** lower_power_limit's verdict alone (no allocation): its state, null when it returns null. */
export function lowerPowerLimitState(view: DeviceView, o: AdvisoryOptions): Band | null {
  const limitW = num(view.snapshot?.power_limit_w);
  if (limitW === null || limitW <= 0) return null;
  const r = o.rules.lower_power_limit;
  const powerW = num(view.snapshot?.power_w);
  const effNorm = num(view.tick.kpis.eff_norm);
  const atLimit = band(
    powerW === null ? null : powerW / limitW,
    r.high_power_frac,
    r.high_power_frac,
    'above',
  );
  const efficiency = allOf(band(effNorm, r.eff_norm_trigger, r.eff_norm_clear, 'below'), atLimit);
  return anyOf(thermalBand(view, o), efficiency) ?? 'hold';
}

/** lower_power_limit's severity and delta (for a device lowerPowerLimit applies to). */
export function lowerPowerLimitGist(view: DeviceView, o: AdvisoryOptions): FindingGist {
  const limitW = num(view.snapshot?.power_limit_w) as number;
  const overC = hottestOverC(view, o);
  const severity =
    thermalBand(view, o) === 'on' && overC !== null
      ? escalate(overC >= o.thermal.critical_over_c ? 'critical' : 'warning', view, o)
      : 'info';
  return { severity, delta: { setpoint: 'power_limit_w', by: powerCutW(limitW, o), unit: 'W' } };
}
