// Tests of verified writes: read-back matching (grid, defaults, null), deadlines on the injected clock,
// errors from drivers wrapped by reason, and the not-applied verdict of firmware that ignores writes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { Actuator } from '../../core/actuator.ts';
import { ActuatorError } from '../../core/errors.ts';
import { FakeActuator } from './test-kit.ts';
import { callActuator, matchesSetpoint, verifySetpoint, writeSetpoint } from './verify.ts';

test('matchesSetpoint: numbers within half a grid step; null means the default', () => {
  assert.equal(matchesSetpoint(300, 300), true);
  assert.equal(matchesSetpoint(300.0001, 300), true);
  assert.equal(matchesSetpoint(301, 300), false);
  assert.equal(matchesSetpoint(1507, 1500, { min: 0, max: 2000, step: 15 }), true);
  assert.equal(matchesSetpoint(1510, 1500, { min: 0, max: 2000, step: 15 }), false);
  assert.equal(matchesSetpoint(350, null, { min: 100, max: 400, default: 350 }), true);
  assert.equal(matchesSetpoint(300, null, { min: 100, max: 400, default: 350 }), false);
  assert.equal(matchesSetpoint(null, null, { min: 0, max: 100, default: null }), true);
  assert.equal(matchesSetpoint(60, null, { min: 0, max: 100, default: null }), false);
  assert.equal(matchesSetpoint(60, null, { min: 0, max: 100 }), true, 'unknown default: cannot check');
  assert.equal(matchesSetpoint(null, 300), false);
});

function ctxFor(actuator: Actuator, clock = new FakeClock()) {
  return { actuator, clock, timeoutMs: 5000, signal: new AbortController().signal };
}

test('a call past its deadline is abandoned as unreachable and its signal aborted', async () => {
  const clock = new FakeClock();
  let seen: AbortSignal | null = null;
  const hung = new FakeActuator('r', {});
  const c = ctxFor(hung, clock);
  const p = callActuator(c, 'read', (ctx) => {
    seen = ctx.signal;
    return new Promise<number>(() => undefined);
  });
  const rejected = assert.rejects(
    p,
    (e) =>
      e instanceof ActuatorError && e.reason === 'unreachable' && /timed out after 5000 ms/.test(e.message),
  );
  await clock.advance(5000);
  await rejected;
  assert.equal((seen as AbortSignal | null)?.aborted, true);
  assert.equal(clock.pending, 0);
});

test('a finished call leaves no timer; a foreign error is wrapped as unreachable with its cause', async () => {
  const clock = new FakeClock();
  const c = ctxFor(new FakeActuator('r', {}), clock);
  assert.equal(await callActuator(c, 'x', async () => 7), 7);
  assert.equal(clock.pending, 0);
  const boom = new TypeError('socket hang up');
  await assert.rejects(
    callActuator(c, 'read', async () => {
      throw boom;
    }),
    (e) => e instanceof ActuatorError && e.reason === 'unreachable' && e.cause === boom,
  );
});

test('write then verify: applied, ignored (not_applied with the read-back), refused, unreachable read', async () => {
  const a = new FakeActuator('r', { g: { power_limit_w: { min: 100, max: 400, default: 350 } } });
  const c = ctxFor(a);
  assert.equal(await writeSetpoint(c, 'g', { kind: 'power_limit_w', value: 300 }), null);
  assert.deepEqual(await verifySetpoint(c, 'g', 'power_limit_w', 300), { status: 'verified', readback: 300 });
  a.ignoreWrites.add('g');
  assert.equal(await writeSetpoint(c, 'g', { kind: 'power_limit_w', value: 250 }), null);
  const v = await verifySetpoint(c, 'g', 'power_limit_w', 250);
  assert.equal(v.status, 'not_applied');
  assert.ok(v.status === 'not_applied' && v.readback === 300 && v.error.code === 'RT_ACTUATOR_NOT_APPLIED');
  assert.match((v as { error: Error }).error.message, /accepted power_limit_w = 250 but reads back 300/);
  a.failWith = 'refused';
  assert.equal((await writeSetpoint(c, 'g', { kind: 'power_limit_w', value: 250 }))?.reason, 'refused');
  a.unreachable = true;
  assert.equal((await verifySetpoint(c, 'g', 'power_limit_w', 250)).status, 'read_failed');
});
