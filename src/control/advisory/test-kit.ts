// Test support for the advisory tests: neutral ticks and snapshots, device views, a hand-moved clock,
// and an engine whose emitted records are collected (used by the unit and integration tests).

import type { Clock } from '../../core/clock.ts';
import type { ScoreTick, TickKpis } from '../../core/scores.ts';
import type { ControlRecord } from '../../core/sink.ts';
import { emptySnapshot, type Snapshot, type SnapshotValues } from '../../core/snapshot.ts';
import { AdvisoryEngine } from './engine.ts';
import { type AdvisoryOptions, DEFAULT_ADVISORY_OPTIONS } from './options.ts';
import { boardIndex } from './rules/common.ts';
import type { AdvicePayload, DeviceView } from './types.ts';

export const T0 = 1_800_000_000_000;

const NEUTRAL_KPIS: TickKpis = {
  efficiency_h_per_j: null,
  efficiency_j_per_th: null,
  reject_rate: null,
  reject_rate_ci95: null,
  shares_in_window: null,
  thermal_headroom_c: null,
  latency_budget_ms: null,
  stability_index: null,
  eff_norm: 0.5,
  hashrate_ratio: 1,
};

/** A healthy-looking score; `kpis` merge into neutral KPIs, anything else replaces. */
export function tickOf(
  rig: string,
  device: string,
  ts: number,
  over: Omit<Partial<ScoreTick>, 'kpis'> & { kpis?: Partial<TickKpis> } = {},
): ScoreTick {
  const { kpis, ...rest } = over;
  return {
    type: 'tick',
    ts,
    rig,
    device,
    samples: 100,
    health_bit: 0,
    health_reasons: [],
    structure: null,
    change_prob: 0,
    lambda_hazard: 0,
    sep_score: 95,
    rupture_class: 'none',
    channels_changing: [],
    channels: {},
    counter_resets: [],
    ...rest,
    kpis: { ...NEUTRAL_KPIS, ...kpis },
  };
}

/** A snapshot with only `values` set. */
export function snapOf(
  rig: string,
  device: string,
  ts: number,
  values: Partial<SnapshotValues> = {},
): Snapshot {
  return { ...emptySnapshot(ts, rig, device), ...values };
}

/** A healthy GPU's readings (RTX 3080 Ti-like on Ethash). */
export const GPU_OK: Partial<SnapshotValues> = {
  hashrate_5s: 110e6,
  hashrate_expected: 110e6,
  power_w: 280,
  power_limit_w: 350,
  temp_core_c: 67,
  temp_mem_c: 98,
  fan_pct: 62,
  fan_rpm: 2055,
  clock_core_mhz: 1860,
  throttle_flags: 0,
  hw_errors: 0,
  stratum_latency_ms: 50,
};

/** A device view for rule tests. */
export function viewOf(
  values: Partial<SnapshotValues>,
  over: {
    device?: string;
    tick?: Parameters<typeof tickOf>[3];
    hwPerMin?: number | null;
    hwCount?: number | null;
  } = {},
): DeviceView {
  const device = over.device ?? 'gpu0';
  return {
    rig: 'rig0',
    device,
    board: boardIndex(device),
    tick: tickOf('rig0', device, T0, over.tick),
    snapshot: snapOf('rig0', device, T0, values),
    hwErrorsPerMin: over.hwPerMin ?? null,
    hwErrorsInWindow: over.hwCount ?? null,
    hwErrorsSpanS: over.hwCount == null ? null : 600,
    freshness: 'fresh',
  };
}

/** Options with some rules' fields replaced. */
export function withRules(
  patch: { [K in keyof AdvisoryOptions['rules']]?: Partial<AdvisoryOptions['rules'][K]> },
): AdvisoryOptions {
  const rules = { ...DEFAULT_ADVISORY_OPTIONS.rules } as Record<string, object>;
  for (const [k, v] of Object.entries(patch)) rules[k] = { ...rules[k], ...v };
  return { ...DEFAULT_ADVISORY_OPTIONS, rules: rules as unknown as AdvisoryOptions['rules'] };
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  now: number;
  constructor(startMs = T0) {
    this.now = startMs;
  }
  nowMs(): number {
    return this.now;
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** An engine on a manual clock collecting what it emits. */
export function collectingEngine(optionsFor?: (rig: string) => AdvisoryOptions): {
  engine: AdvisoryEngine;
  clock: ManualClock;
  records: ControlRecord[];
  payloads: () => AdvicePayload[];
} {
  const clock = new ManualClock();
  const records: ControlRecord[] = [];
  const engine = new AdvisoryEngine({ clock, emit: (r) => records.push(r), optionsFor });
  return { engine, clock, records, payloads: () => records.map((r) => r.payload as AdvicePayload) };
}
