// Tests of the controller's main loop on a fake clock (scripted actuator, in-memory journal): stepping,
// validation and rollback, writes a firmware ignores, the three modes and the kill switch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { FAST, Harness, worse } from './test-kit.ts';

test('auto: steps the power limit down, validates each step, commits it as last-known-good', async () => {
  const h = new Harness(new FakeClock());
  const start = await h.ctrl.start();
  assert.deepEqual(start, { devices: 1, restored: 0, pending: 0, describeError: null });
  await h.run(60);
  assert.equal(h.pl, 350, 'no action before the baseline is full');
  await h.run(61);
  assert.equal(h.pl, 325);
  const [first] = h.actions('verified');
  assert.equal(first.from, 350);
  assert.ok(Math.abs(Number(first.throttle_factor) - 1) < 1e-12);
  assert.equal(h.ctrl.status().devices[0].validating?.to, 325);
  await h.run(150);
  const validated = h.actions('validated');
  assert.equal(validated.length, 1);
  const report = validated[0].validation as { decision: string; improved: boolean };
  assert.deepEqual([report.decision, report.improved], ['commit', true]);
  assert.deepEqual(h.journal.trail('a1'), ['intended', 'applied', 'verified', 'validated']);
  assert.deepEqual(h.journal.lastKnownGood('r'), [{ device: 'g0', kind: 'power_limit_w', value: 325 }]);
  await h.run(600);
  assert.ok(h.pl <= 275, `kept stepping: ${h.pl}`);
  assert.equal(h.actions('rolled_back').length, 0);
  await h.ctrl.stop();
});

test('a step that costs efficiency is rolled back, cools down, and the descent stops', async () => {
  const h = new Harness(new FakeClock());
  h.eff = worse;
  await h.ctrl.start();
  await h.run(121);
  assert.equal(h.pl, 325);
  await h.run(150);
  assert.equal(h.pl, 350);
  const [rb] = h.actions('rolled_back');
  assert.match(String(rb.reason), /validation: efficiency may have dropped/);
  assert.deepEqual(h.journal.trail('a1'), ['intended', 'applied', 'verified', 'rolled_back']);
  assert.ok((h.ctrl.status().devices[0].cooldown_until_ms ?? 0) > h.clock.nowMs());
  await h.run(1200);
  assert.equal(h.actions('intended').length, 1, 'no second step after a rollback');
  assert.equal(h.pl, 350);
});

test('firmware that ignores writes: failed, reverted, advice raised, cooldown', async () => {
  const h = new Harness(new FakeClock());
  h.actuator.ignoreWrites.add('g0');
  await h.ctrl.start();
  await h.run(121);
  assert.deepEqual(h.journal.trail('a1'), ['intended', 'applied', 'failed', 'rolled_back']);
  const [failed] = h.actions('failed');
  assert.deepEqual([failed.phase, failed.readback], ['verify', 350]);
  const [advice] = h.advice();
  assert.equal(advice.kind, 'setpoint_not_applied');
  assert.match(String(advice.reason), /acknowledged power_limit_w = 325 but still runs 350/);
  assert.equal(h.ctrl.status().devices[0].validating, null);
  const failedAt = h.records.find((r) => r.payload.status === 'failed')?.ts ?? 0;
  assert.ok((h.ctrl.status().devices[0].cooldown_until_ms ?? 0) >= failedAt + 600_000);
});

test('advise mode writes nothing and repeats the same advice only after its TTL', async () => {
  const h = new Harness(new FakeClock(), 'advise', { ...FAST, advice_ttl_ms: 600_000 });
  await h.ctrl.start();
  await h.run(400);
  assert.equal(h.actuator.writes.length, 0);
  const advice = h.advice();
  assert.equal(advice.length, 1);
  assert.equal(advice[0].kind, 'tune_setpoint');
  assert.deepEqual(advice[0].delta, { setpoint: 'power_limit_w', by: -25, unit: 'W' });
  await h.run(400);
  assert.equal(h.advice().length, 2);
});

test('off mode does nothing; switching to auto starts acting, back to advise rolls back', async () => {
  const h = new Harness(new FakeClock(), 'off');
  await h.ctrl.start();
  await h.run(300);
  assert.equal(h.records.length, 0);
  await h.ctrl.setMode('auto');
  await h.run(1);
  assert.equal(h.pl, 325);
  await h.ctrl.setMode('advise');
  assert.equal(h.pl, 350);
  assert.match(String(h.actions('rolled_back')[0].reason), /mode changed from auto to advise/);
});

test('the kill switch rolls back what is under validation at once and blocks new actions', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  await h.run(121);
  assert.equal(h.pl, 325);
  h.kill.engage('operator');
  await h.clock.advance(0);
  assert.equal(h.pl, 350);
  assert.match(String(h.actions('rolled_back')[0].reason), /kill switch: operator/);
  await h.run(1800);
  assert.equal(h.actions('intended').length, 1);
  h.kill.release();
  await h.run(1);
  assert.equal(h.ctrl.status().kill_switch, false);
});
