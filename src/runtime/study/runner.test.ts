// The study runner against the simulator actuator through the guarded path on a fake clock: set-points
// applied and read back, markers in NDJSON and Parquet (hyparquet), baseline back for A2, refusals, aborts.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { RuptureClass } from '../../core/scores.ts';
import type { PhaseDurations } from '../../study/aba-plan/index.ts';
import { parseTreatment } from '../../study/aba-plan/index.ts';
import { type StudyRequest, StudyRunner } from './index.ts';
import { loadStudy } from './store.ts';
import { ndjsonMarkers, parquetMarkers, powerLimitW, type Rig, simRig, tick } from './test-kit.ts';

const D: PhaseDurations = { A1: 60_000, B: 120_000, A2: 60_000 };
const rigs: Rig<FakeClock>[] = [];
after(async () => {
  for (const r of rigs) await r.close();
});

async function setup(options = {}) {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')), options);
  rigs.push(rig);
  return rig;
}

function request(treatment: string, more: Partial<StudyRequest> = {}): StudyRequest {
  return {
    id: 's1',
    rigs: ['rig0'],
    devices: null,
    treatment: parseTreatment(treatment),
    durations: D,
    ...more,
  };
}

async function start(rig: Rig<FakeClock>, req: StudyRequest): Promise<StudyRunner> {
  return StudyRunner.begin(req, {
    clock: rig.clock,
    control: rig.control,
    store: await rig.store(req.id),
    emit: (r) => rig.records.push(r),
  });
}

/** 1 Hz ticks until `ms` has passed (or the study ends), each followed by a step. */
async function drive(
  rig: Rig<FakeClock>,
  runner: StudyRunner,
  ms: number,
  cls: RuptureClass = 'none',
): Promise<void> {
  const end = rig.clock.nowMs() + ms;
  while (rig.clock.nowMs() < end && !runner.finished) {
    await rig.clock.advance(1000);
    runner.observe(tick(rig.clock.nowMs(), cls));
    await runner.step();
  }
}

test('a power-limit study runs A1 → B → A2 → end: applied, verified, restored, marked', async () => {
  const rig = await setup();
  const t0 = rig.clock.nowMs();
  const runner = await start(rig, request('power_limit_w=-20'));
  assert.deepEqual(
    runner.state.devices.map((d) => d.setpoints[0]),
    [
      { kind: 'power_limit_w', baseline: 350, target: 330 },
      { kind: 'power_limit_w', baseline: 350, target: 330 },
    ],
  );
  await drive(rig, runner, 59_000);
  assert.equal(powerLimitW(rig, 'gpu0'), 350, 'A1 holds the baseline');
  await drive(rig, runner, 2000);
  assert.equal(powerLimitW(rig, 'gpu0'), 330);
  assert.equal(powerLimitW(rig, 'gpu1'), 330);
  assert.deepEqual(
    runner.state.devices.map((d) => d.phase),
    ['B', 'B'],
  );
  // The treatment is journaled and in flight while B holds it (a crash rolls it back on restart).
  assert.equal(rig.journal.inFlight('rig0').length, 2);
  await drive(rig, runner, 120_000);
  assert.equal(powerLimitW(rig, 'gpu0'), 350, 'A2 is back at the baseline');
  assert.equal(rig.journal.inFlight('rig0').length, 0);
  assert.deepEqual(
    rig.journal.recent('rig0', 0).map((a) => a.status),
    ['rolled_back', 'rolled_back'],
  );
  await drive(rig, runner, 70_000);
  assert.equal(runner.state.status, 'done');

  const file = await loadStudy(rig.dir, 's1');
  assert.equal(file?.status, 'done');
  const gpu0 = file?.devices[0];
  assert.ok(gpu0 !== undefined);
  const s = gpu0.started_ms as Required<typeof gpu0.started_ms>;
  assert.equal(s.A1, t0);
  assert.ok(s.B - s.A1 >= D.A1 && s.A2 - s.B >= D.B && s.end - s.A2 >= D.A2);

  const nd = ndjsonMarkers(rig.dir, 's1').filter((m) => m.device === 'gpu0');
  assert.deepEqual(
    nd.map((m) => [m.phase, m.setpoint]),
    [
      ['A1', { kind: 'power_limit_w', value: 350 }],
      ['B', { kind: 'power_limit_w', value: 330 }],
      ['A2', { kind: 'power_limit_w', value: 350 }],
      ['end', null],
    ],
  );
  assert.deepEqual(
    nd.map((m) => m.ts_ms),
    [s.A1, s.B, s.A2, s.end],
  );
  const pq = (await parquetMarkers(rig.dir)).filter((m) => m.device === 'gpu0');
  assert.deepEqual(
    pq.map((m) => [m.phase, m.setpoint_kind, m.setpoint_value, m.study_id, m.rig, m.treatment]),
    [
      ['A1', 'power_limit_w', 350, 's1', 'rig0', 'power_limit_w=-20'],
      ['B', 'power_limit_w', 330, 's1', 'rig0', 'power_limit_w=-20'],
      ['A2', 'power_limit_w', 350, 's1', 'rig0', 'power_limit_w=-20'],
      ['end', null, null, 's1', 'rig0', 'power_limit_w=-20'],
    ],
  );
  // Markers and every step of the writes reach the sinks as action records.
  const statuses = rig.records.filter((r) => r.payload.device === 'gpu0').map((r) => r.payload.status);
  assert.deepEqual(statuses, [
    'marker',
    'intended',
    'applied',
    'verified',
    'marker',
    'rolled_back',
    'marker',
    'marker',
  ]);
});

test('refusals: kill switch, out of bounds, over the max step, not controllable, auto mode, a running study', async () => {
  const rig = await setup({ bounds: { power_limit_w: { min: 300 } } });
  const refused = async (req: StudyRequest, message: RegExp) =>
    assert.rejects(start(rig, req), { code: 'RT_STUDY_REFUSED', message });
  rig.killSwitch.engage('maintenance');
  await refused(request('power_limit_w=-20'), /kill switch is engaged \(maintenance\)/);
  rig.killSwitch.release();
  await refused(request('power_limit_w=290'), /guard bounds: 290 is outside the allowed range \[300, 400\]/);
  await refused(
    request('power_limit_w=-30'),
    /guard max_step: a change of 30 exceeds the allowed step 25 \(autotune\.max_step\.power_limit_w/,
  );
  await refused(
    request('power_limit_w=-20', { devices: ['rig0/gpu7'] }),
    /rig0\/gpu7 is not controllable \(the actuator offers: gpu0, gpu1\)/,
  );
  await refused(request('power_limit_w=-20', { rigs: ['rig9'] }), /rig rig9 has no actuator/);
  await refused(request('power_limit_w=+0'), /guard no_change/);
  rig.modes.set('rig0', 'auto');
  await refused(request('power_limit_w=-20'), /rig rig0 is in auto mode/);
  await refused(request('autotune'), /already in auto mode/);
  rig.modes.set('rig0', 'advise');
  assert.equal(powerLimitW(rig, 'gpu0'), 350, 'nothing was written');
  const first = await start(rig, request('power_limit_w=-20', { id: 'first' }));
  assert.equal(first.state.status, 'running');
  await refused(request('power_limit_w=-20', { id: 'second' }), /study first is still running on rig0/);
});

test('the kill switch during B aborts the study with the baseline restored', async () => {
  const rig = await setup();
  const runner = await start(rig, request('power_limit_w=-20', { devices: ['rig0/gpu0'] }));
  await drive(rig, runner, 70_000);
  assert.equal(powerLimitW(rig, 'gpu0'), 330);
  rig.killSwitch.engage('operator');
  await drive(rig, runner, 1000);
  assert.equal(runner.state.status, 'aborted');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.match(runner.state.reasons[0], /kill switch engaged \(operator\)/);
  assert.deepEqual(
    ndjsonMarkers(rig.dir, 's1').map((m) => m.phase),
    ['A1', 'B', 'end'],
  );
  assert.equal(rig.journal.inFlight('rig0').length, 0);
});

test('a write the device does not apply aborts the study; the baseline stays', async () => {
  const rig = await setup();
  const runner = await start(rig, request('power_limit_w=-20', { devices: ['rig0/gpu0'] }));
  rig.lying.lying = true;
  await drive(rig, runner, 70_000);
  assert.equal(runner.state.status, 'aborted');
  assert.match(runner.state.reasons[0], /rig0\/gpu0: the treatment did not take .*reads back 350/);
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.ok(runner.state.events.some((e) => e.kind === 'apply_failed'));
  assert.ok(rig.records.some((r) => r.kind === 'advice' && r.payload.kind === 'setpoint_not_applied'));
});

test('a set-point changed behind the study during B fails the read-back and aborts', async () => {
  const rig = await setup();
  const runner = await start(rig, request('power_limit_w=-20', { devices: ['rig0/gpu0'] }));
  await drive(rig, runner, 70_000);
  const gpu = rig.fleet.rig('rig0').gpus[0];
  gpu.setPowerLimit(300);
  await drive(rig, runner, 31_000);
  assert.equal(runner.state.status, 'aborted');
  assert.match(
    runner.state.reasons[0],
    /read-back failed in phase B: power_limit_w reads 300, phase B holds 330/,
  );
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
});

test('B waits while the device is in a meso rupture, and a macro rupture during B aborts', async () => {
  const rig = await setup();
  const runner = await start(rig, request('power_limit_w=-20', { devices: ['rig0/gpu0'] }));
  await drive(rig, runner, 59_000);
  await drive(rig, runner, 10_000, 'meso');
  assert.equal(runner.state.devices[0].phase, 'A1', 'no action during a meso rupture');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  await drive(rig, runner, 2000);
  assert.equal(runner.state.devices[0].phase, 'B');
  assert.ok(runner.state.events.some((e) => e.kind === 'waiting' && /rupture class is meso/.test(e.detail)));
  await drive(rig, runner, 5000, 'macro');
  assert.equal(runner.state.status, 'aborted');
  assert.match(runner.state.reasons[0], /macro rupture on rig0\/gpu0 during B/);
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
});

test('a rupture that does not clear within the wait aborts the study before B changes anything', async () => {
  const rig = await setup();
  const runner = await start(rig, request('power_limit_w=-20', { devices: ['rig0/gpu0'] }));
  await drive(rig, runner, 59_000);
  await drive(rig, runner, 200_000, 'meso');
  assert.equal(runner.state.status, 'aborted');
  assert.match(runner.state.reasons[0], /B could not start within 120000 ms \(rupture class is meso\)/);
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.deepEqual(
    ndjsonMarkers(rig.dir, 's1').map((m) => m.phase),
    ['A1', 'end'],
  );
  assert.equal(rig.journal.recent('rig0', 0).length, 0, 'nothing was journaled: nothing was written');
});
