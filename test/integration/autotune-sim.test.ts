// End to end on the simulator: the real scorer, the sim actuator and the on-disk journal under the
// controller, on a fake clock: descent with validation, a firmware that ignores writes, a fault during
// validation, a crash between intended and validated that the next start repairs, and a hot card whose
// raised fan is kept.

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SimActuator } from '../../src/control/actuators/sim/index.ts';
import {
  type ActionOutcome,
  type AutotuneOptionsInput,
  type JournalPort,
  KillSwitch,
  RigAutotune,
  type SetpointStrategy,
  stepDescent,
} from '../../src/control/autotune/index.ts';
import { ActionJournal } from '../../src/control/journal/index.ts';
import type { ControlRecord } from '../../src/core/sink.ts';
import { FleetScorer } from '../../src/pipeline/index.ts';
import { Fleet, type GpuModelChoice, parseFaultSpec } from '../../src/sim/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

const T0 = Date.UTC(2026, 0, 1, 12);
const root = mkdtempSync(join(tmpdir(), 'rt-autotune-sim-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** One simulated rig under control: fleet, scorer, driver, journal and controller on one fake clock. */
class SimRig {
  readonly clock = new FakeClock(T0);
  readonly fleet: Fleet;
  readonly rig: string;
  readonly records: ControlRecord[] = [];
  readonly dir = join(root, `j${dirs++}`);
  readonly scorer = new FleetScorer({});
  journal!: ActionJournal;
  ctrl!: RigAutotune;

  constructor(rig: string, faults = '', asics = 0, gpuModel: GpuModelChoice = 'h100', seed = 5) {
    this.rig = rig;
    this.fleet = new Fleet({
      seed,
      startMs: T0,
      gpuRigs: asics > 0 ? 0 : 1,
      gpusPerRig: 1,
      asics,
      gpuModel,
      faults: faults === '' ? undefined : parseFaultSpec(faults),
    });
  }

  /** Opens the journal from disk and starts a fresh controller (as a process start does). */
  async boot(
    options: AutotuneOptionsInput = {},
    strategy?: SetpointStrategy,
  ): Promise<Awaited<ReturnType<RigAutotune['start']>>> {
    this.journal = await ActionJournal.open({ dir: this.dir });
    const journal: JournalPort = this.journal;
    this.ctrl = new RigAutotune({
      rig: this.rig,
      actuator: new SimActuator(this.fleet, this.rig),
      journal,
      clock: this.clock,
      killSwitch: new KillSwitch(),
      emit: (r) => this.records.push(r),
      options,
      mode: 'auto',
      ...(strategy === undefined ? {} : { strategy }),
    });
    return this.ctrl.start();
  }

  /** Runs `seconds` of 1 s simulation steps, scoring each and feeding the controller. */
  async run(seconds: number): Promise<void> {
    for (let s = 0; s < seconds; s++) {
      this.fleet.step(1000);
      await this.clock.advanceTo(this.fleet.nowMs);
      const snapshots = this.fleet.snapshots().filter((x) => x.rig === this.rig);
      const scores = snapshots.map((x) => this.scorer.push(x).tick);
      await this.ctrl.onTick({ scores, snapshots });
    }
  }

  actions(status: string): Record<string, unknown>[] {
    return this.records
      .filter((r) => r.kind === 'action' && r.payload.status === status)
      .map((r) => r.payload);
  }

  get powerLimitW(): number {
    const r = this.fleet.rig(this.rig);
    return r.asic !== null ? r.asic.powerTargetW : r.gpus[0].powerLimitW;
  }
}

test('an H100 whose efficiency improves as its power limit drops: steps down, validates, commits', async () => {
  const s = new SimRig('rig0');
  await s.boot({ min_interval_ms: 0, bounds: { power_limit_w: { min: 550 } } });
  await s.run(45 * 60);
  const validated = s.actions('validated');
  assert.ok(validated.length >= 5, `${validated.length} validated steps`);
  for (const v of validated) {
    const report = v.validation as { improved: boolean; efficiency: { diff_rel: number } };
    assert.equal(report.improved, true);
    assert.ok(report.efficiency.diff_rel > 0.02);
    assert.ok(Number(v.to) < Number(v.from) && Number(v.from) - Number(v.to) <= 25);
  }
  assert.equal(s.actions('rolled_back').length, 0);
  assert.ok(s.powerLimitW >= 550 && s.powerLimitW < 600, `power limit ${s.powerLimitW}`);
  const lkg = s.journal.lastKnownGood('rig0');
  assert.equal(lkg[0].value, validated.at(-1)?.to);
  assert.equal(lkg[0].device, 'gpu0');
  await s.ctrl.stop();
  assert.equal(s.powerLimitW, 700, 'shutdown restores the device default');
  assert.deepEqual(s.journal.inFlight(), []);
  await s.journal.close();
});

test('an S19 power target steps down with validation too (ASIC device total)', async () => {
  const s = new SimRig('asic0', '', 1);
  await s.boot({ min_interval_ms: 0, max_step: { power_limit_w: 100 }, min_step: { power_limit_w: 20 } });
  await s.run(25 * 60);
  assert.ok(s.actions('validated').length >= 3);
  assert.ok(s.powerLimitW <= 3250 - 3 * 80, `power target ${s.powerLimitW}`);
  await s.ctrl.stop();
  await s.journal.close();
});

test('a firmware that ignores writes: the action fails, is reverted, and advice is raised', async () => {
  const s = new SimRig('rig0', 'ignore_writes@rig0/gpu0@0s');
  await s.boot({ min_interval_ms: 0 });
  await s.run(20 * 60);
  const [failed] = s.actions('failed');
  assert.deepEqual([failed.phase, failed.readback, failed.to], ['verify', 700, 678]);
  assert.equal(s.actions('rolled_back').length, 1);
  const advice = s.records.filter((r) => r.kind === 'advice').map((r) => r.payload);
  assert.equal(advice.length, 1);
  assert.equal(advice[0].kind, 'setpoint_not_applied');
  assert.equal(s.actions('intended').length, 1, 'the cooldown holds further attempts');
  assert.equal(s.powerLimitW, 700);
  const [action] = s.journal.recent('rig0', T0);
  assert.equal(action.status, 'rolled_back');
  await s.journal.close();
});

test('a fault in the middle of validation: rolled back, then a cooldown', async () => {
  // The first action comes at ~3 min; its watch runs 4–9 min; memory errors start at 6 min.
  const s = new SimRig('rig0', 'memory_errors@rig0/gpu0@6m');
  const heard: ActionOutcome[] = [];
  const down = stepDescent({ kinds: ['power_limit_w'], direction: -1 });
  await s.boot({ min_interval_ms: 0 }, { ...down, observe: (o) => heard.push(o) });
  await s.run(10 * 60);
  const [rb] = s.actions('rolled_back');
  assert.ok(rb !== undefined, 'rolled back');
  assert.equal(rb.from, 700);
  assert.match(String(rb.reason), /validation: .*(efficiency may have dropped|HW-error rate rose)/);
  assert.deepEqual((rb.validation as { failed_tests: string[] }).failed_tests, ['efficiency', 'hw_errors']);
  assert.deepEqual(
    heard.map((o) => o.causes),
    [['efficiency', 'hw_errors', 'macro_rupture']],
    'the fault began after the settle time: the strategy hears it',
  );
  assert.equal(s.powerLimitW, 700);
  await s.run(25 * 60);
  assert.equal(s.actions('intended').length, 1, 'no action during the 30-minute cooldown');
  await s.journal.close();
});

test('a crash between intended and validated: the next start restores the device', async () => {
  const s = new SimRig('rig0');
  await s.boot({ min_interval_ms: 0 });
  await s.run(5 * 60);
  assert.equal(s.actions('verified').length, 1);
  assert.equal(s.powerLimitW, 678, 'applied, under validation');
  // Crash: no stop(), no close(); the last journal write was cut mid-line.
  const torn = '{"type":"validated","id":"a1","ts":17';
  appendFileSync(join(s.dir, 'actions.journal.ndjson'), torn);
  const start = await s.boot({ min_interval_ms: 0 });
  assert.equal(s.journal.replay.truncatedBytes, torn.length);
  assert.deepEqual([start.restored, start.pending], [1, 0]);
  assert.equal(s.powerLimitW, 700);
  assert.equal(s.journal.action('a1')?.status, 'rolled_back');
  assert.match(s.journal.action('a1')?.rollbackReason ?? '', /restart/);
  await s.run(60);
  assert.equal(s.actions('intended').length, 1, 'cooling down after the restore');
  await s.journal.close();
});

test('a card over its memory limit: a raised fan is judged against its baseline and kept', async () => {
  // An RTX 3080 Ti on Ethash runs its memory junction near 96 °C on its automatic fan; with a 92 °C
  // limit it is already over it, so an absolute check would undo any change, the fan's included.
  const s = new SimRig('rig0', '', 0, 'rtx3080ti', 4);
  const heard: ActionOutcome[] = [];
  const fanUp = stepDescent({ kinds: ['fan_pct'], direction: 1 });
  const strategy: SetpointStrategy = {
    name: 'fan-up-once',
    propose: (v) => (heard.length === 0 ? fanUp.propose(v) : null),
    observe: (o) => heard.push(o),
  };
  await s.boot({ min_interval_ms: 0, setpoints: ['fan_pct'], temp_limits_c: { temp_mem_c: 92 } }, strategy);
  const gpu = s.fleet.gpu('rig0', 'gpu0');
  await s.run(60);
  assert.ok(gpu.tempMemC > 94, `starts hot: ${gpu.tempMemC.toFixed(1)} °C`);
  await s.run(10 * 60);
  const [done] = s.actions('validated');
  assert.ok(done !== undefined, `validated: ${JSON.stringify(s.actions('rolled_back'))}`);
  assert.equal(done.setpoint, 'fan_pct');
  const v = done.validation as { cooling: boolean; temps_c: { temp_mem_c: Record<string, number> } };
  assert.equal(v.cooling, true);
  const mem = v.temps_c.temp_mem_c;
  assert.ok(mem.max_block > mem.limit, `still over the limit after: ${mem.max_block} °C`);
  assert.ok(mem.max_block <= mem.baseline_max_block + 1, `${mem.max_block} vs ${mem.baseline_max_block} °C`);
  assert.deepEqual(
    heard.map((o) => [o.result, o.causes]),
    [['validated', []]],
  );
  assert.equal(gpu.fanManualPct, done.to, 'the fan keeps the raised duty');
  assert.ok(gpu.tempMemC < mem.baseline_max_block, `cooler now: ${gpu.tempMemC.toFixed(1)} °C`);
  await s.ctrl.stop();
  await s.journal.close();
});
