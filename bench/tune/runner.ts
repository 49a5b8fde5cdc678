// Runs the auto-tune controller with the optimizer on simulated fleets on one fake clock: each second
// steps the fleets, scores every snapshot, feeds the controller, and keeps what the audit needs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimActuator } from '../../src/control/actuators/sim/index.ts';
import {
  AutotuneOptionsSchema,
  guardMetricsOf,
  KillSwitch,
  RigAutotune,
} from '../../src/control/autotune/index.ts';
import { ActionJournal } from '../../src/control/journal/index.ts';
import { createOptimizer, type Optimizer } from '../../src/control/optimizer/index.ts';
import type { DeviceControl } from '../../src/core/actuator.ts';
import type { ScoreTick } from '../../src/core/scores.ts';
import type { ControlRecord } from '../../src/core/sink.ts';
import type { GuardMetrics } from '../../src/kernel/guards/index.ts';
import { FleetScorer } from '../../src/pipeline/index.ts';
import { Fleet, parseFaultSpec } from '../../src/sim/index.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { type AuditContext, auditGuardRails } from './guard-audit.ts';
import { type FleetPlan, MODELS, type ModelPlan } from './setup.ts';

/** One controlled device and everything recorded about it. */
export interface DeviceRun {
  readonly id: string;
  readonly model: string;
  readonly fleet: Fleet;
  readonly rig: string;
  readonly device: string;
  readonly plan: ModelPlan;
  readonly optimizer: Optimizer;
  readonly ctrl: RigAutotune;
  readonly records: ControlRecord[];
  /** Set when each `intended` record was emitted, in order. */
  readonly contexts: AuditContext[];
  /** Times of macro-rupture ticks (epoch ms). */
  readonly macroMs: number[];
  control: DeviceControl | null;
  /** Power limit the simulated device held at each second (for the bounds audit). */
  readonly limitTrace: number[];
  /** Measured efficiency (H/J) of the last `measureS` seconds. */
  readonly tail: number[];
  scores: { current: GuardMetrics | null; previous: GuardMetrics | null; last: ScoreTick | null };
  /** Fan duty of the device's latest snapshot, %. */
  fanPct: number | null;
}

export interface TuneRun {
  readonly startMs: number;
  readonly clock: FakeClock;
  readonly devices: DeviceRun[];
  readonly fleets: Fleet[];
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1, 12);

/**
 * Builds fleets, controllers (mode auto) and optimizers; every device is its own rig. `models` maps a
 * device model key (`rtx3080ti`, `h100`, `s19pro`) to its rails and optimizer options.
 */
export async function buildRun(
  plans: readonly FleetPlan[],
  models: Readonly<Record<string, ModelPlan>> = MODELS,
): Promise<TuneRun> {
  const clock = new FakeClock(T0);
  const root = mkdtempSync(join(tmpdir(), 'rt-tune-bench-'));
  const journals: ActionJournal[] = [];
  const devices: DeviceRun[] = [];
  const fleets: Fleet[] = [];
  for (const p of plans) {
    const fleet = new Fleet({
      seed: p.seed,
      startMs: T0,
      gpuRigs: p.gpuRigs,
      gpusPerRig: 1,
      asics: p.asics,
      gpuModel: p.gpuModel,
      algo: p.algo,
      faults: p.faults === '' ? undefined : parseFaultSpec(p.faults),
    });
    fleets.push(fleet);
    const journal = await ActionJournal.open({ dir: join(root, p.tag) });
    journals.push(journal);
    for (const rig of fleet.rigs) {
      const model = rig.asic !== null ? rig.asic.profile.key : rig.gpus[0].profile.key;
      const plan = models[model];
      const optimizer = createOptimizer(plan.optimizer);
      const run: DeviceRun = {
        id: `${p.tag}/${rig.name}`,
        model: `${model}/${p.algo}`,
        fleet,
        rig: rig.name,
        device: rig.asic !== null ? 'total' : 'gpu0',
        plan,
        optimizer,
        ctrl: undefined as unknown as RigAutotune,
        records: [],
        contexts: [],
        macroMs: [],
        control: null,
        limitTrace: [],
        tail: [],
        scores: { current: null, previous: null, last: null },
        fanPct: null,
      };
      const ctrl = new RigAutotune({
        rig: rig.name,
        actuator: new SimActuator(fleet, rig.name),
        journal,
        clock,
        killSwitch: new KillSwitch(),
        emit: (r) => {
          run.records.push(r);
          if (r.kind === 'action' && r.payload.status === 'intended')
            run.contexts.push({
              ts: r.ts,
              current: run.scores.current,
              previous: run.scores.previous,
              ruptureClass: run.scores.last?.rupture_class ?? null,
              lastScoreMs: run.scores.last?.ts ?? null,
              fanPct: run.fanPct,
            });
        },
        options: plan.autotune,
        mode: 'auto',
        strategy: optimizer,
        onError: (err) => {
          throw err;
        },
      });
      (run as { ctrl: RigAutotune }).ctrl = ctrl;
      await ctrl.start();
      const ctx = { clock, signal: new AbortController().signal };
      run.control =
        (await new SimActuator(fleet, rig.name).describe(ctx)).find((d) => d.device === run.device) ?? null;
      devices.push(run);
    }
  }
  return {
    startMs: T0,
    clock,
    devices,
    fleets,
    async close() {
      for (const d of devices) await d.ctrl.stop();
      for (const j of journals) await j.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Simulates `seconds` at 1 Hz; the last `measureS` seconds' measured efficiencies are kept. */
export async function runFor(run: TuneRun, seconds: number, measureS = 600): Promise<void> {
  const scorers = new Map(run.fleets.map((f) => [f, new FleetScorer({})]));
  for (let s = 0; s < seconds; s++) {
    for (const f of run.fleets) f.step(1000);
    await run.clock.advanceTo(run.fleets[0].nowMs);
    const snaps = new Map(run.fleets.map((f) => [f, f.snapshots()]));
    for (const d of run.devices) {
      const snapshots = (snaps.get(d.fleet) ?? []).filter((x) => x.rig === d.rig);
      const scorer = scorers.get(d.fleet) as FleetScorer;
      const scores = snapshots.map((x) => scorer.push(x).tick);
      for (const t of scores) {
        if (t.device !== d.device) continue;
        const m = guardMetricsOf(t);
        if (m !== null) d.scores = { current: m, previous: d.scores.current, last: t };
        else d.scores = { ...d.scores, last: t };
        if (t.rupture_class === 'macro') d.macroMs.push(t.ts);
      }
      d.fanPct = snapshots.find((x) => x.device === d.device)?.fan_pct ?? null;
      await d.ctrl.onTick({ scores, snapshots });
      const rig = d.fleet.rig(d.rig);
      d.limitTrace.push(rig.asic !== null ? rig.asic.powerTargetW : rig.gpus[0].powerLimitW);
      if (s >= seconds - measureS) {
        const own = snapshots.find((x) => x.device === d.device);
        if (own?.hashrate_5s != null && own.power_w != null && own.power_w > 0)
          d.tail.push(own.hashrate_5s / own.power_w);
      }
    }
  }
}

/** The independent guard-rail audit of one device's run (violations, one sentence each). */
export function auditDevice(d: DeviceRun): string[] {
  return auditGuardRails({
    id: d.id,
    device: d.device,
    options: AutotuneOptionsSchema.parse(d.plan.autotune),
    limits: d.control?.limits ?? {},
    records: d.records,
    contexts: d.contexts,
    macroMs: d.macroMs,
    limitTrace: d.limitTrace,
  });
}
