// Tests of the controller around its main loop: rupture classes, manual set-points, restart after a
// crash, shutdown restores, a failing journal and rollbacks retried until the device takes them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { FAST, Harness, worse } from './test-kit.ts';

test('no action during meso/macro; a macro rupture starts a cooldown', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  h.cls = 'meso';
  await h.run(200);
  assert.equal(h.actuator.writes.length, 0);
  assert.equal(h.ctrl.status().devices[0].refusals[0].guard, 'rupture');
  h.cls = 'macro';
  await h.run(1);
  h.cls = 'none';
  await h.run(590);
  assert.equal(h.actuator.writes.length, 0, 'still cooling down');
  await h.run(20);
  assert.equal(h.actuator.writes.length, 1);
});

test('manual set-points: exact or refused with the guard, then validated like any action', async () => {
  const h = new Harness(new FakeClock(), 'advise');
  await h.ctrl.start();
  const none = await h.ctrl.requestAction({
    device: 'g0',
    kind: 'power_limit_w',
    value: 340,
    reason: 'test',
  });
  assert.deepEqual(none, { status: 'refused', guard: 'stale', reason: 'no score yet' });
  await h.run(5);
  const early = await h.ctrl.requestAction({
    device: 'g0',
    kind: 'power_limit_w',
    value: 340,
    reason: 'test',
  });
  assert.deepEqual(early, {
    status: 'refused',
    guard: 'baseline',
    reason: 'not enough pre-action samples for a baseline yet',
  });
  await h.run(125);
  const big = await h.ctrl.requestAction({ device: 'g0', kind: 'power_limit_w', value: 250, reason: 'test' });
  assert.equal(big.status === 'refused' && big.guard, 'max_step');
  const low = await h.ctrl.requestAction({ device: 'g0', kind: 'power_limit_w', value: 190, reason: 'test' });
  assert.equal(low.status === 'refused' && low.guard, 'bounds');
  assert.equal(h.actions('refused').length, 4);
  const ok = await h.ctrl.requestAction({
    device: 'g0',
    kind: 'power_limit_w',
    value: 335,
    reason: 'operator',
  });
  assert.deepEqual(ok, { status: 'validating', id: 'a1', to: 335 });
  await h.run(151);
  assert.equal(h.actions('validated')[0].purpose, 'manual');
  assert.equal(h.pl, 335);
  const gone = await h.ctrl.requestAction({ device: 'g9', kind: 'power_limit_w', value: 300, reason: 'x' });
  assert.equal(gone.status === 'refused' && gone.guard, 'device');
});

test('restart: an action the journal has in flight is rolled back before anything else', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  await h.run(121);
  assert.equal(h.pl, 325);
  // Crash: the controller is dropped without stop(); the journal (disk) and the device remain.
  h.ctrl = h.make('auto');
  const start = await h.ctrl.start();
  assert.deepEqual([start.restored, start.pending], [1, 0]);
  assert.equal(h.pl, 350);
  assert.deepEqual(h.journal.trail('a1'), ['intended', 'applied', 'verified', 'rolled_back']);
  assert.equal(h.journal.inFlight('r').length, 0);
  assert.ok(
    (h.ctrl.status().devices[0].cooldown_until_ms ?? 0) > h.clock.nowMs(),
    'cooldown after a restore',
  );
  assert.equal(h.ctrl.status().actions_last_hour, 1, 'the hourly cap survives the restart');
});

test('shutdown rolls back an unvalidated action and restores the safe settings', async () => {
  const h = new Harness(new FakeClock(), 'auto', { ...FAST, safe: { power_limit_w: 300 } });
  await h.ctrl.start();
  await h.run(121);
  assert.equal(h.pl, 325);
  const r = await h.ctrl.stop();
  assert.deepEqual(r, { rolledBack: 1, restored: 1, failed: 0 });
  assert.equal(h.pl, 300);
  assert.deepEqual(h.journal.trail('a2'), ['intended', 'applied', 'verified', 'validated']);
  assert.equal(h.journal.actions.get('a2')?.purpose, 'restore');
  assert.deepEqual(h.journal.lastKnownGood('r'), [], 'a restore is not a last-known-good');
  assert.deepEqual(await h.ctrl.stop(), { rolledBack: 0, restored: 0, failed: 0 });
});

test('a journal that cannot record stops all actions before any write', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  h.journal.failing = true;
  await h.run(300);
  assert.equal(h.actuator.writes.length, 0);
  assert.equal(h.ctrl.status().journal_ok, false);
  h.journal.failing = false;
  await h.run(300);
  assert.equal(h.actuator.writes.length, 0, 'stays stopped until restarted');
});

test('a rollback that fails is retried until the device takes it', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  await h.run(121);
  h.eff = worse;
  h.actuator.unreachable = true;
  await h.run(150);
  assert.equal(h.advice()[0].kind, 'rollback_failed');
  assert.equal(h.ctrl.status().devices[0].pending_rollbacks, 1);
  assert.equal(h.journal.inFlight('r').length, 1);
  await h.run(100);
  assert.equal(h.advice().length, 1, 'retries that fail again raise nothing more');
  assert.deepEqual(h.journal.trail('a1'), ['intended', 'applied', 'verified', 'failed']);
  h.actuator.unreachable = false;
  await h.run(31);
  assert.equal(h.pl, 350);
  assert.equal(h.ctrl.status().devices[0].pending_rollbacks, 0);
  assert.equal(h.journal.inFlight('r').length, 0);
});

test('a strategy that throws is reported, the pass abandoned, and the next tick goes on', async () => {
  const h = new Harness(new FakeClock());
  const errors: unknown[] = [];
  let calls = 0;
  const strategy = {
    name: 'flaky',
    propose: () => {
      calls++;
      if (calls === 1) throw new Error('bug in strategy');
      return { value: 300, reason: 'again' };
    },
  };
  h.ctrl = h.make('auto', FAST, { strategy, onError: (e) => errors.push(e) });
  await h.ctrl.start();
  await h.run(121);
  assert.equal(errors.length, 1);
  assert.equal(h.ctrl.status().last_error, 'bug in strategy');
  assert.equal(h.pl, 325, 'the next pass acted');
});

test('devices that cannot be described at start are described again later', async () => {
  const h = new Harness(new FakeClock());
  h.actuator.unreachable = true;
  const start = await h.ctrl.start();
  assert.deepEqual([start.devices, start.describeError], [0, 'down']);
  h.actuator.unreachable = false;
  await h.run(59);
  assert.equal(h.ctrl.status().devices[0].controllable, false);
  await h.run(2);
  assert.equal(h.ctrl.status().devices[0].controllable, true);
  assert.equal(h.ctrl.status().describe_error, null);
  await h.run(120);
  assert.equal(h.pl, 325);
});
