// Resuming a study from study.json after a restart (mid-phase, after a phase's end, after the restart
// rolled the treatment back), pausing on shutdown, and the autotune treatment's mode switching.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { PhaseDurations } from '../../study/aba-plan/index.ts';
import { parseTreatment } from '../../study/aba-plan/index.ts';
import { type StudyRequest, StudyRunner } from './index.ts';
import type { StudyControl } from './ports.ts';
import { loadStudy } from './store.ts';
import { ndjsonMarkers, powerLimitW, type Rig, simRig, tick } from './test-kit.ts';

const D: PhaseDurations = { A1: 60_000, B: 120_000, A2: 60_000 };
const rigs: Rig<FakeClock>[] = [];
after(async () => {
  for (const r of rigs) await r.close();
});

const REQ: StudyRequest = {
  id: 's1',
  rigs: ['rig0'],
  devices: ['rig0/gpu0'],
  treatment: parseTreatment('power_limit_w=-20'),
  durations: D,
};

async function deps(rig: Rig<FakeClock>, control: StudyControl = rig.control) {
  return { clock: rig.clock, control, store: await rig.store('s1'), emit: () => undefined };
}

async function drive(rig: Rig<FakeClock>, runner: StudyRunner, ms: number): Promise<void> {
  const end = rig.clock.nowMs() + ms;
  while (rig.clock.nowMs() < end && !runner.finished) {
    await rig.clock.advance(1000);
    runner.observe(tick(rig.clock.nowMs()));
    await runner.step();
  }
}

async function resume(rig: Rig<FakeClock>, control: StudyControl): Promise<StudyRunner> {
  const file = await loadStudy(rig.dir, 's1');
  assert.ok(file !== null);
  return StudyRunner.resume(file, parseTreatment(file.plan.treatment), await deps(rig, control));
}

test('a crash mid-B: the study resumes in B with its start time, adopts the held action, ends normally', async () => {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')));
  rigs.push(rig);
  const first = await StudyRunner.begin(REQ, await deps(rig));
  await drive(rig, first, 90_000);
  const bStart = first.state.devices[0].started_ms.B;
  assert.ok(bStart !== undefined);
  // Crash: the runner is gone; a restarted service opens the journal again.
  const { control, journal } = await rig.reopen();
  await rig.clock.advance(20_000);
  const runner = await resume(rig, control);
  assert.equal(runner.state.devices[0].phase, 'B');
  await drive(rig, runner, 1000);
  assert.equal(powerLimitW(rig, 'gpu0'), 330);
  await drive(rig, runner, 300_000);
  assert.equal(runner.state.status, 'done');
  assert.equal(runner.state.devices[0].started_ms.B, bStart, 'B was not restarted');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.equal(journal.inFlight('rig0').length, 0, 'the adopted action was rolled back for A2');
  assert.deepEqual(
    ndjsonMarkers(rig.dir, 's1').map((m) => m.phase),
    ['A1', 'B', 'A2', 'end'],
  );
  assert.ok(runner.state.events.some((e) => e.kind === 'resumed'));
});

test('after a restart that rolled the treatment back, B is re-applied and verified', async () => {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')));
  rigs.push(rig);
  const first = await StudyRunner.begin(REQ, await deps(rig));
  await drive(rig, first, 70_000);
  const { control, journal } = await rig.reopen();
  // What the auto-tune controller does on start: every in-flight action rolled back to its `from`.
  for (const a of journal.inFlight('rig0')) await control.undo({ ...a, limits: undefined }, 'restart');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  const runner = await resume(rig, control);
  await drive(rig, runner, 1000);
  assert.equal(powerLimitW(rig, 'gpu0'), 330);
  assert.equal(journal.inFlight('rig0').length, 1);
  await drive(rig, runner, 300_000);
  assert.equal(runner.state.status, 'done');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
});

test('resumed after B ended while the service was down: A2 starts at once and runs its full length', async () => {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')));
  rigs.push(rig);
  const first = await StudyRunner.begin(REQ, await deps(rig));
  await drive(rig, first, 70_000);
  const { control } = await rig.reopen();
  await rig.clock.advance(600_000);
  const runner = await resume(rig, control);
  const resumedAt = rig.clock.nowMs();
  await drive(rig, runner, 1000);
  const d = runner.state.devices[0];
  assert.equal(d.phase, 'A2');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.ok((d.started_ms.A2 as number) - resumedAt <= 1000);
  await drive(rig, runner, 58_000);
  assert.equal(runner.state.devices[0].phase, 'A2');
  await drive(rig, runner, 3000);
  assert.equal(runner.state.status, 'done');
  await assert.rejects(resume(rig, control), {
    code: 'RT_STUDY_STATE',
    message: /study s1 is done: nothing to resume/,
  });
});

test('a shutdown mid-B puts the baseline back and keeps the study running; the next run re-applies B', async () => {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')));
  rigs.push(rig);
  const first = await StudyRunner.begin(REQ, await deps(rig));
  await drive(rig, first, 70_000);
  await first.pause('shutdown');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  const saved = await loadStudy(rig.dir, 's1');
  assert.equal(saved?.status, 'running');
  assert.equal(saved?.devices[0].phase, 'B');
  const { control } = await rig.reopen();
  const runner = await resume(rig, control);
  await drive(rig, runner, 1000);
  assert.equal(powerLimitW(rig, 'gpu0'), 330);
});

test('autotune: auto during B, the mode before and the baseline set-points back for A2', async () => {
  const rig = await simRig(new FakeClock(Date.parse('2025-03-01T12:00:00Z')));
  rigs.push(rig);
  const runner = await StudyRunner.begin({ ...REQ, treatment: parseTreatment('autotune') }, await deps(rig));
  await drive(rig, runner, 61_000);
  assert.equal(rig.modes.get('rig0'), 'auto');
  assert.equal(runner.state.modes_before.rig0, 'advise');
  // The controller tunes during B.
  rig.fleet.rig('rig0').gpus[0].setPowerLimit(310);
  await drive(rig, runner, 120_000);
  assert.equal(rig.modes.get('rig0'), 'advise');
  assert.equal(powerLimitW(rig, 'gpu0'), 350);
  assert.deepEqual(
    rig.journal.recent('rig0', 0).map((a) => [a.purpose, a.status, a.from, a.to]),
    [['restore', 'validated', 310, 350]],
  );
  await drive(rig, runner, 61_000);
  assert.equal(runner.state.status, 'done');
  assert.deepEqual(
    ndjsonMarkers(rig.dir, 's1').map((m) => [m.phase, m.setpoint]),
    [
      ['A1', { kind: 'power_limit_w', value: 350 }],
      ['B', null],
      ['A2', { kind: 'power_limit_w', value: 350 }],
      ['end', null],
    ],
  );
});
