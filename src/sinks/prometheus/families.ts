// The per-device metric families: name (rigtune_ prefix, base units, _total for counters), help, type
// and how the value comes from the device's latest score or snapshot; null means "no sample".

import { RUPTURE_CLASSES, type ScoreTick } from '../../core/scores.ts';
import type { Snapshot } from '../../core/snapshot.ts';

/** What the renderer reads of one device: its escaped label set and latest score / snapshot. */
export interface DeviceRow {
  /** `{rig="…",device="…"}`, escaped once when the device is first seen. */
  readonly labels: string;
  readonly score: ScoreTick | null;
  readonly snapshot: Snapshot | null;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  /** The sample value, or null for no sample (never a made-up 0). */
  readonly value: (row: DeviceRow) => number | null;
}

const scaled = (v: number | null, factor: number): number | null => (v === null ? null : v * factor);

function fromScore(name: string, help: string, get: (s: ScoreTick) => number | null): Family {
  return { name, help, type: 'gauge', value: (r) => (r.score === null ? null : get(r.score)) };
}

function fromSnapshot(
  name: string,
  help: string,
  get: (s: Snapshot) => number | null,
  type: Family['type'] = 'gauge',
): Family {
  return { name, help, type, value: (r) => (r.snapshot === null ? null : get(r.snapshot)) };
}

const CLASS_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  RUPTURE_CLASSES.map((c, i) => [c, i]),
);

/** Every per-device family, in exposition order. */
export const DEVICE_FAMILIES: readonly Family[] = [
  fromScore('rigtune_sep_score', 'Device health score, 0-100, higher is healthier.', (s) => s.sep_score),
  fromScore(
    'rigtune_rupture_class',
    'Rupture class as an ordinal: 0 none, 1 micro, 2 meso, 3 macro.',
    (s) => CLASS_INDEX[s.rupture_class] ?? null,
  ),
  fromScore('rigtune_lambda_hazard', 'Combined hazard 1-(1-R)(1-p), 0-1.', (s) => s.lambda_hazard),
  fromScore(
    'rigtune_change_probability',
    'Highest posterior change probability over the channels, 0-1.',
    (s) => s.change_prob,
  ),
  fromScore(
    'rigtune_unhealthy',
    'Composite health bit of the latest step: 1 unhealthy, 0 healthy.',
    (s) => s.health_bit,
  ),
  fromScore(
    'rigtune_channels_changing',
    'Channels whose change posterior is at least 0.5.',
    (s) => s.channels_changing.length,
  ),
  fromScore(
    'rigtune_efficiency_hashes_per_joule',
    'Hashing efficiency, hashes per joule.',
    (s) => s.kpis.efficiency_h_per_j,
  ),
  fromScore(
    'rigtune_reject_ratio',
    'Share reject rate over the scoring window, 0-1.',
    (s) => s.kpis.reject_rate,
  ),
  fromScore(
    'rigtune_thermal_headroom_celsius',
    'Degrees Celsius below the thermal limit.',
    (s) => s.kpis.thermal_headroom_c,
  ),
  fromScore('rigtune_hashrate_ratio', 'Hashrate over expected hashrate.', (s) => s.kpis.hashrate_ratio),
  fromScore(
    'rigtune_stability_index',
    'Stability index of the scoring window, 0-1.',
    (s) => s.kpis.stability_index,
  ),
  fromScore(
    'rigtune_last_score_timestamp_seconds',
    'Sample time of the latest score, Unix seconds.',
    (s) => s.ts / 1000,
  ),
  fromSnapshot(
    'rigtune_hashrate_5s_hashes_per_second',
    'Hashrate over ~5 s, hashes per second.',
    (s) => s.hashrate_5s,
  ),
  fromSnapshot(
    'rigtune_hashrate_1m_hashes_per_second',
    'Hashrate over ~1 min, hashes per second.',
    (s) => s.hashrate_1m,
  ),
  fromSnapshot(
    'rigtune_hashrate_expected_hashes_per_second',
    'Expected (nominal) hashrate, hashes per second.',
    (s) => s.hashrate_expected,
  ),
  fromSnapshot('rigtune_power_watts', 'Power draw, watts.', (s) => s.power_w),
  fromSnapshot('rigtune_power_limit_watts', 'Power limit, watts.', (s) => s.power_limit_w),
  fromSnapshot(
    'rigtune_temperature_core_celsius',
    'Core (GPU die) temperature, degrees Celsius.',
    (s) => s.temp_core_c,
  ),
  fromSnapshot(
    'rigtune_temperature_memory_celsius',
    'Memory temperature, degrees Celsius.',
    (s) => s.temp_mem_c,
  ),
  fromSnapshot(
    'rigtune_temperature_chip_max_celsius',
    'Hottest hashing chip, degrees Celsius.',
    (s) => s.temp_chip_max_c,
  ),
  fromSnapshot(
    'rigtune_temperature_inlet_celsius',
    'Inlet air temperature, degrees Celsius.',
    (s) => s.temp_inlet_c,
  ),
  fromSnapshot(
    'rigtune_temperature_outlet_celsius',
    'Outlet air temperature, degrees Celsius.',
    (s) => s.temp_outlet_c,
  ),
  fromSnapshot(
    'rigtune_temperature_target_celsius',
    'Temperature target or limit, degrees Celsius.',
    (s) => s.temp_target_c,
  ),
  fromSnapshot('rigtune_fan_speed_ratio', 'Fan duty, 0-1.', (s) => scaled(s.fan_pct, 0.01)),
  fromSnapshot('rigtune_fan_speed_rpm', 'Fan speed, revolutions per minute.', (s) => s.fan_rpm),
  fromSnapshot('rigtune_clock_core_hertz', 'Core clock, hertz.', (s) => scaled(s.clock_core_mhz, 1e6)),
  fromSnapshot('rigtune_clock_memory_hertz', 'Memory clock, hertz.', (s) => scaled(s.clock_mem_mhz, 1e6)),
  fromSnapshot('rigtune_utilization_ratio', 'Utilisation, 0-1.', (s) => scaled(s.util_pct, 0.01)),
  fromSnapshot('rigtune_stratum_latency_seconds', 'Round trip to the mining pool, seconds.', (s) =>
    scaled(s.stratum_latency_ms, 0.001),
  ),
  fromSnapshot(
    'rigtune_throttle_reasons',
    'Clock throttle reasons bitmask (NVML clock event reasons); 0 = not throttled.',
    (s) => s.throttle_flags,
  ),
  fromSnapshot(
    'rigtune_shares_accepted_total',
    'Shares accepted, as counted by the miner.',
    (s) => s.accepted_shares,
    'counter',
  ),
  fromSnapshot(
    'rigtune_shares_rejected_total',
    'Shares rejected, as counted by the miner.',
    (s) => s.rejected_shares,
    'counter',
  ),
  fromSnapshot(
    'rigtune_shares_stale_total',
    'Stale shares, as counted by the miner.',
    (s) => s.stale_shares,
    'counter',
  ),
  fromSnapshot(
    'rigtune_hardware_errors_total',
    'Hardware errors, as counted by the miner.',
    (s) => s.hw_errors,
    'counter',
  ),
  fromSnapshot('rigtune_energy_joules_total', 'Energy used, joules.', (s) => s.energy_j, 'counter'),
  fromSnapshot(
    'rigtune_last_sample_timestamp_seconds',
    'Time of the latest snapshot, Unix seconds.',
    (s) => s.ts / 1000,
  ),
];
