// A fully populated fleet for the Prometheus sink's tests and bench: every snapshot field and KPI
// set, so each per-device family has a sample unless a test nulls it on purpose.

import type { ScoreTick } from '../../src/core/scores.ts';
import { type RigTickBatch, SCHEMA_VERSION } from '../../src/core/sink.ts';
import { emptySnapshot, type Snapshot } from '../../src/core/snapshot.ts';

/** A snapshot with every field the exporter reads filled (device `gpu<d>`; the diff_* counters stay null). */
export function fullSnapshot(ts: number, rig: string, d: number): Snapshot {
  return {
    ...emptySnapshot(ts, rig, `gpu${d}`),
    hashrate_5s: 1.23e8 + d,
    hashrate_1m: 1.22e8 + d,
    hashrate_expected: 1.25e8,
    power_w: 215.5 + d,
    power_limit_w: 250,
    temp_core_c: 64 + d,
    temp_mem_c: 78,
    temp_chip_max_c: 71,
    temp_inlet_c: 25,
    temp_outlet_c: 46,
    temp_target_c: 83,
    fan_pct: 55,
    fan_rpm: 2100,
    clock_core_mhz: 1410,
    clock_mem_mhz: 9501,
    util_pct: 99,
    stratum_latency_ms: 42,
    accepted_shares: 1234,
    rejected_shares: 5,
    stale_shares: 2,
    hw_errors: 0,
    energy_j: 9.87e7,
    throttle_flags: 0,
  };
}

/** A score with every KPI filled (device `gpu<d>`). */
export function fullScore(ts: number, rig: string, d: number): ScoreTick {
  return {
    type: 'tick',
    ts,
    rig,
    device: `gpu${d}`,
    samples: 100,
    health_bit: 0,
    health_reasons: [],
    structure: null,
    change_prob: 0.0123,
    lambda_hazard: 0.0456,
    kpis: {
      efficiency_h_per_j: 571_000.25,
      efficiency_j_per_th: 1.75e6,
      reject_rate: 0.004,
      reject_rate_ci95: [0.001, 0.01],
      shares_in_window: 120,
      thermal_headroom_c: 19,
      latency_budget_ms: 100,
      stability_index: 0.97,
      eff_norm: 1,
      hashrate_ratio: 0.984,
    },
    sep_score: 87.5,
    rupture_class: 'none',
    channels_changing: [],
    channels: {},
    counter_resets: [],
  };
}

/** One rig's tick with `devices` fully populated GPUs. */
export function fullBatch(rig: string, ts: number, devices: number): RigTickBatch {
  const scores = Array.from({ length: devices }, (_, d) => fullScore(ts, rig, d));
  const snapshots = Array.from({ length: devices }, (_, d) => fullSnapshot(ts, rig, d));
  return {
    rig,
    ts,
    snapshots,
    scores,
    events: [],
    state: { schema: SCHEMA_VERSION, rig, ts, devices: scores },
  };
}
