// Test doubles for the controller's unit tests (policy may not import the sim driver or the journal):
// a scriptable in-memory actuator, an in-memory journal with the real one's transitions, score ticks,
// and a one-GPU harness around the controller.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointLimits,
  SetpointWrite,
} from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { ActuatorError, type ActuatorErrorReason } from '../../core/errors.ts';
import type { RuptureClass, ScoreTick } from '../../core/scores.ts';
import type { ControlRecord } from '../../core/sink.ts';
import { emptySnapshot, type Snapshot } from '../../core/snapshot.ts';
import { type AutotuneDeps, RigAutotune } from './controller.ts';
import type { AutotuneOptionsInput } from './options.ts';
import {
  type AutotuneMode,
  type JournaledAction,
  type JournalIntent,
  type JournalMark,
  type JournalPort,
  KillSwitch,
} from './ports.ts';

/** An actuator over plain values; `ignoreWrites` acknowledges and drops, `failWith` throws on write. */
export class FakeActuator implements Actuator {
  readonly kind = 'fake';
  readonly rig: string;
  readonly values = new Map<string, number | null>();
  readonly writes: { device: string; change: SetpointWrite }[] = [];
  readonly limits: Record<string, Partial<Record<SetpointKind, SetpointLimits>>>;
  ignoreWrites = new Set<string>();
  failWith: ActuatorErrorReason | null = null;
  unreachable = false;

  constructor(rig: string, limits: Record<string, Partial<Record<SetpointKind, SetpointLimits>>>) {
    this.rig = rig;
    this.limits = limits;
    for (const [device, l] of Object.entries(limits))
      for (const [kind, lim] of Object.entries(l)) this.values.set(`${device}/${kind}`, lim.default ?? null);
  }

  value(device: string, kind: SetpointKind): number | null {
    return this.values.get(`${device}/${kind}`) ?? null;
  }

  async describe(_ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    if (this.unreachable) throw new ActuatorError('unreachable', 'down');
    return Object.entries(this.limits).map(([device, limits]) => ({ rig: this.rig, device, limits }));
  }

  async read(device: string, kind: SetpointKind, _ctx: ActuatorContext): Promise<number | null> {
    if (this.unreachable) throw new ActuatorError('unreachable', 'down');
    if (this.limits[device]?.[kind] === undefined) throw new ActuatorError('unsupported', 'no such control');
    return this.value(device, kind);
  }

  async write(device: string, change: SetpointWrite, _ctx: ActuatorContext): Promise<void> {
    if (this.unreachable) throw new ActuatorError('unreachable', 'down');
    if (this.failWith !== null) throw new ActuatorError(this.failWith, `write refused (${this.failWith})`);
    const lim = this.limits[device]?.[change.kind];
    if (lim === undefined) throw new ActuatorError('unsupported', 'no such control');
    const v = change.value ?? lim.default ?? null;
    if (v !== null && (v < lim.min || v > lim.max))
      throw new ActuatorError('out_of_bounds', `${v} out of bounds`);
    this.writes.push({ device, change });
    if (!this.ignoreWrites.has(device)) this.values.set(`${device}/${change.kind}`, v);
  }

  async close(): Promise<void> {}
}

type Stored = JournaledAction;
const TERMINAL = new Set(['validated', 'rolled_back']);

/** An in-memory journal with the real journal's rules (ids a1…, status transitions, LKG on validated). */
export class MemoryJournal implements JournalPort {
  readonly actions = new Map<string, Stored>();
  readonly events: (JournalMark | ({ type: 'intended'; id: string } & JournalIntent))[] = [];
  readonly lkg = new Map<string, { device: string; kind: SetpointKind; value: number | null }>();
  failing = false;
  #seq = 0;

  async intend(a: JournalIntent): Promise<string> {
    if (this.failing) throw new Error('disk full');
    const id = `a${++this.#seq}`;
    this.actions.set(id, { ...a, id, status: 'intended', updatedMs: a.ts });
    this.events.push({ type: 'intended', id, ...a });
    return id;
  }

  async mark(e: JournalMark): Promise<void> {
    if (this.failing) throw new Error('disk full');
    const a = this.actions.get(e.id);
    if (a === undefined || TERMINAL.has(a.status)) throw new Error(`bad mark ${e.type} for ${e.id}`);
    this.actions.set(e.id, { ...a, status: e.type, updatedMs: e.ts });
    this.events.push(e);
    if (e.type === 'validated' && a.purpose !== 'restore')
      this.lkg.set(`${a.rig}/${a.device}/${a.kind}`, { device: a.device, kind: a.kind, value: a.to });
  }

  inFlight(rig: string): readonly JournaledAction[] {
    return [...this.actions.values()].filter((a) => a.rig === rig && !TERMINAL.has(a.status));
  }

  lastKnownGood(rig: string) {
    return [...this.lkg.entries()].filter(([k]) => k.startsWith(`${rig}/`)).map(([, v]) => v);
  }

  recent(rig: string, sinceMs: number): readonly JournaledAction[] {
    return [...this.actions.values()].filter((a) => a.rig === rig && a.ts >= sinceMs);
  }

  /** Event types of one action, in order. */
  trail(id: string): string[] {
    return this.events.filter((e) => e.id === id).map((e) => e.type);
  }
}

/** A score tick with the fields the controller reads; structure defaults to a calm device (factor 1). */
export function scoreTick(
  rig: string,
  device: string,
  ts: number,
  cls: RuptureClass = 'none',
  structure: { coherence: number; stability: number; rupture: number; lambda: number } = {
    coherence: 1,
    stability: 1,
    rupture: 0,
    lambda: 0,
  },
): ScoreTick {
  return {
    type: 'tick',
    ts,
    rig,
    device,
    samples: 100,
    health_bit: 0,
    health_reasons: [],
    structure: {
      n: 64,
      coherence: structure.coherence,
      stability: structure.stability,
      entropy: 0.5,
      rupture: structure.rupture,
      flip_ratio: 0,
      collapse: false,
      sig_c: 0,
      sig_s: 0,
      sig_e: 0,
    },
    change_prob: 0,
    lambda_hazard: structure.lambda,
    kpis: {
      efficiency_h_per_j: null,
      efficiency_j_per_th: null,
      reject_rate: null,
      reject_rate_ci95: null,
      shares_in_window: null,
      thermal_headroom_c: null,
      latency_budget_ms: null,
      stability_index: null,
      eff_norm: null,
      hashrate_ratio: null,
    },
    sep_score: 90,
    rupture_class: cls,
    channels_changing: [],
    channels: {},
    counter_resets: [],
  };
}

/** A snapshot with the fields validation reads. */
export function sampleSnapshot(
  rig: string,
  device: string,
  ts: number,
  v: { hashrate: number; power: number; accepted: number; rejected: number; hw: number; temp?: number },
): Snapshot {
  return {
    ...emptySnapshot(ts, rig, device),
    hashrate_5s: v.hashrate,
    power_w: v.power,
    accepted_shares: v.accepted,
    rejected_shares: v.rejected,
    stale_shares: 0,
    hw_errors: v.hw,
    temp_core_c: v.temp ?? 60,
  };
}

/** Short windows so controller tests run minutes of simulated time. */
export const FAST: AutotuneOptionsInput = {
  baseline_ms: 120_000,
  settle_ms: 30_000,
  watch_ms: 120_000,
  block_ms: 15_000,
  min_interval_ms: 60_000,
  cooldown_ms: 600_000,
  max_actions_per_hour: 10,
  bounds: { power_limit_w: { min: 200 } },
};

/** Efficiency (H/J) at power limit `pl`: +0.1 % per W below 350 unless `worse`. */
export type EffModel = (pl: number) => number;
export const better: EffModel = (pl) => 400_000 * (1 + 0.001 * (350 - pl));
export const worse: EffModel = (pl) => 400_000 * (1 - 0.002 * (350 - pl));

/** A clock the harness can move (test/helpers/fake-clock.ts's FakeClock fits). */
export interface MovableClock extends Clock {
  advance(ms: number): Promise<void>;
}

/** One rig with one GPU `g0` under a controller, fed one snapshot and score per simulated second. */
export class Harness {
  readonly clock: MovableClock;
  readonly actuator = new FakeActuator('r', { g0: { power_limit_w: { min: 100, max: 400, default: 350 } } });
  readonly records: ControlRecord[] = [];
  readonly kill: KillSwitch;
  journal: MemoryJournal;
  ctrl: RigAutotune;
  eff: EffModel = better;
  /** Core temperature (°C) at power limit `pl`. */
  temp: (pl: number) => number = () => 60;
  cls: RuptureClass = 'none';
  #i = 0;
  #acc = 0;

  constructor(clock: MovableClock, mode: AutotuneMode = 'auto', options: AutotuneOptionsInput = FAST) {
    this.clock = clock;
    this.journal = new MemoryJournal();
    this.kill = new KillSwitch();
    this.ctrl = this.make(mode, options);
  }

  make(
    mode: AutotuneMode,
    options: AutotuneOptionsInput = FAST,
    extra: Partial<AutotuneDeps> = {},
  ): RigAutotune {
    return new RigAutotune({
      rig: 'r',
      actuator: this.actuator,
      journal: this.journal,
      clock: this.clock,
      killSwitch: this.kill,
      emit: (r) => this.records.push(r),
      options,
      mode,
      ...extra,
    });
  }

  get pl(): number {
    return this.actuator.value('g0', 'power_limit_w') ?? 350;
  }

  /** `seconds` one-second ticks: a snapshot and a score per tick, then the controller decides. */
  async run(seconds: number): Promise<void> {
    for (let s = 0; s < seconds; s++) {
      await this.clock.advance(1000);
      const i = this.#i++;
      const noise = 1 + 0.004 * Math.sin(i * 12.9898) * Math.cos(i * 4.1414);
      const power = Math.min(this.pl, 330);
      if (i % 2 === 0) this.#acc++;
      const ts = this.clock.nowMs();
      const snap = sampleSnapshot('r', 'g0', ts, {
        hashrate: this.eff(this.pl) * power * noise,
        power,
        accepted: this.#acc,
        rejected: 0,
        hw: 0,
        temp: this.temp(this.pl),
      });
      await this.ctrl.onTick({ snapshots: [snap], scores: [scoreTick('r', 'g0', ts, this.cls)] });
    }
  }

  actions(status?: string): Record<string, unknown>[] {
    return this.records
      .filter((r) => r.kind === 'action' && (status === undefined || r.payload.status === status))
      .map((r) => r.payload);
  }

  advice(): Record<string, unknown>[] {
    return this.records.filter((r) => r.kind === 'advice').map((r) => r.payload);
  }
}
