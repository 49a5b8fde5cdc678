// The Braiins OS+ driver against the stateful fake REST API on loopback: describe, read, write and
// read back, bounds, login and token renewal, injected faults, aborts and serialized writes.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import {
  type FakeBraiins,
  type FakeBraiinsOptions,
  startBraiinsApi,
} from '../../../../test/fakes/braiins-api.ts';
import { FakeClock } from '../../../../test/helpers/fake-clock.ts';
import { waitUntil } from '../../../../test/helpers/redis-server.ts';
import type { ActuatorContext } from '../../../core/actuator.ts';
import { ActuatorError } from '../../../core/errors.ts';
import { type BraiinsActuator, create } from './index.ts';

const clock = new FakeClock();
const ctx = (signal: AbortSignal = new AbortController().signal): ActuatorContext => ({ clock, signal });

let fake: FakeBraiins;
const started: FakeBraiins[] = [];
async function start(options: FakeBraiinsOptions = {}): Promise<FakeBraiins> {
  const f = await startBraiinsApi({ password: 'secret', ...options });
  started.push(f);
  return f;
}
function driver(f: FakeBraiins, more: object = {}): BraiinsActuator {
  return create(
    { url: f.url, password: { env: 'BOS_PW' }, timeout_ms: 2000, ...more },
    { rig: 'rig-b', env: { BOS_PW: 'secret' } },
  );
}
async function rejects(
  p: Promise<unknown>,
  reason: ActuatorError['reason'],
  message?: RegExp,
): Promise<ActuatorError> {
  const err = await p.then(
    () => assert.fail('expected an ActuatorError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ActuatorError, `not an ActuatorError: ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  if (message) assert.match(err.message, message);
  return err;
}
const paths = (f: FakeBraiins) => f.requests.map((r) => `${r.method} ${r.path}`);
/** Waits until a PUT of `watt` arrives after request number `from`. */
const putSent = (f: FakeBraiins, watt: number, from: number) =>
  waitUntil(
    () =>
      f.requests.slice(from).some((r) => r.method === 'PUT' && (r.body as { watt?: number })?.watt === watt),
    `PUT ${watt} W sent`,
  );

before(async () => {
  fake = await start();
});
beforeEach(async () => {
  for (const r of ['login', 'constraints', 'tuner-state', 'power-target', 'power-target-default'] as const)
    fake.fault(r, null);
  await driver(fake).write('total', { kind: 'power_limit_w', value: 3500 }, ctx());
});
after(async () => {
  for (const f of started) await f.close();
});

test('describe: the rig-total device with the power-target range the firmware reports', async () => {
  const d = driver(fake);
  assert.deepEqual(await d.describe(ctx()), [
    {
      rig: 'rig-b',
      device: 'total',
      limits: { power_limit_w: { min: 2800, max: 4200, step: 1, default: 3500 } },
    },
  ]);
  const login = fake.requests.findLast((r) => r.path === '/api/v1/auth/login');
  assert.deepEqual(login?.body, { username: 'root', password: 'secret' });
  const last = fake.requests.at(-1);
  assert.match(last?.authorization ?? '', /^tok\d+$/); // the raw token, as the OpenAPI login describes
});

test('write then read back: the tuner-state current target follows, in watts', async () => {
  const d = driver(fake);
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3500);
  const before = fake.requests.length;
  await d.write('total', { kind: 'power_limit_w', value: 3000 }, ctx());
  assert.deepEqual(paths(fake).slice(before), [
    'GET /api/v1/configuration/constraints',
    'PUT /api/v1/performance/power-target',
  ]);
  assert.deepEqual(fake.requests.at(-1)?.body, { watt: 3000 });
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3000);
  await d.write('total', { kind: 'power_limit_w', value: null }, ctx());
  assert.equal(fake.requests.at(-1)?.path, '/api/v1/performance/power-target/default');
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3500);
});

test('out of bounds or fractional watts are refused before anything is sent', async () => {
  const d = driver(fake);
  for (const value of [2799, 4201, 3000.5]) {
    const before = fake.requests.length;
    await rejects(d.write('total', { kind: 'power_limit_w', value }, ctx()), 'out_of_bounds', /W|watts/);
    assert.ok(!paths(fake).slice(before).includes('PUT /api/v1/performance/power-target'));
  }
  assert.equal(fake.powerTargetW(), 3500);
});

test('accepted but not applied: the write resolves, the read-back shows the old value', async () => {
  const d = driver(fake);
  fake.fault('power-target', 'ignore');
  await d.write('total', { kind: 'power_limit_w', value: 3100 }, ctx());
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3500);
});

test('refusals, missing endpoints, server errors and garbage map to their reasons', async () => {
  const d = driver(fake);
  const w = (value: number) => d.write('total', { kind: 'power_limit_w', value }, ctx());
  fake.fault('power-target', 'refuse');
  await rejects(w(3000), 'refused', /HTTP 400/);
  fake.fault('power-target', 'missing');
  await rejects(w(3000), 'unsupported', /public API v1/);
  fake.fault('power-target', 'server-error');
  await rejects(w(3000), 'unreachable', /HTTP 500/);
  fake.fault('tuner-state', 'garbage');
  await rejects(
    d.read('total', 'power_limit_w', ctx()),
    'unreachable',
    /not the public API JSON.*502 Bad Gateway/,
  );
  await rejects(d.read('board1', 'power_limit_w', ctx()), 'unsupported', /one device/);
  await rejects(d.write('total', { kind: 'fan_pct', value: 50 }, ctx()), 'unsupported', /power_limit_w only/);
});

test('login: a wrong password is refused; an expired token is renewed once, transparently', async () => {
  const wrong = create({ url: fake.url }, { rig: 'rig-b' }); // empty password
  await rejects(wrong.read('total', 'power_limit_w', ctx()), 'refused', /rejected the login of user 'root'/);
  const d = driver(fake);
  await d.read('total', 'power_limit_w', ctx());
  const logins = () => fake.requests.filter((r) => r.path === '/api/v1/auth/login').length;
  const before = logins();
  await d.read('total', 'power_limit_w', ctx()); // token reused
  assert.equal(logins(), before);
  fake.expireTokens();
  await d.write('total', { kind: 'power_limit_w', value: 3200 }, ctx());
  assert.equal(logins(), before + 1);
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3200);
});

test('no power target in force (hashrate mode, tuner off) reads as unsupported, never as a number', async () => {
  for (const mode of ['hashrate', 'off'] as const) {
    const f = await start({ mode });
    await rejects(driver(f).read('total', 'power_limit_w', ctx()), 'unsupported', /no power target in force/);
  }
});

test('firmware without constraints: no set-point offered unless bounds are configured', async () => {
  const f = await start({ constraints: false });
  const bare = driver(f);
  assert.deepEqual((await bare.describe(ctx()))[0].limits, {});
  await rejects(
    bare.write('total', { kind: 'power_limit_w', value: 3000 }, ctx()),
    'unsupported',
    /constraints/,
  );
  const bounded = driver(f, { power_target_bounds_w: { min: 3000, max: 3400 } });
  assert.deepEqual((await bounded.describe(ctx()))[0].limits, {
    power_limit_w: { min: 3000, max: 3400, step: 1, default: null },
  });
  await rejects(bounded.write('total', { kind: 'power_limit_w', value: 3500 }, ctx()), 'out_of_bounds');
  await bounded.write('total', { kind: 'power_limit_w', value: 3300 }, ctx());
  assert.equal(f.powerTargetW(), 3300);
});

test('a hung miner: the caller aborts, or timeout_ms fires; both are unreachable', async () => {
  fake.fault('tuner-state', 'hang');
  const controller = new AbortController();
  const arrived = waitUntil(
    () => fake.requests.at(-1)?.path === '/api/v1/performance/tuner-state',
    'read sent',
  );
  const reading = driver(fake).read('total', 'power_limit_w', ctx(controller.signal));
  await arrived;
  controller.abort(new Error('shutdown'));
  await rejects(reading, 'unreachable', /timeout/);
  await rejects(
    driver(fake, { timeout_ms: 50 }).read('total', 'power_limit_w', ctx()),
    'unreachable',
    /50 ms/,
  );
  fake.releaseHung();
});

test('two writes on one driver are serialized: the second starts after the first ends', async () => {
  const d = driver(fake);
  await d.read('total', 'power_limit_w', ctx()); // logged in
  fake.fault('power-target', 'hang');
  const before = fake.requests.length;
  const first = d.write('total', { kind: 'power_limit_w', value: 3000 }, ctx());
  await putSent(fake, 3000, before);
  const second = d.write('total', { kind: 'power_limit_w', value: 3100 }, ctx());
  await waitUntil(() => d.writesWaiting === 1, 'second write queued');
  assert.equal(fake.requests.length, before + 2); // constraints + PUT of the first only
  fake.releaseHung(); // the first gets 503; the second may go
  await rejects(first, 'unreachable', /HTTP 503/);
  await second;
  assert.equal(fake.maxWritesInFlight(), 1);
  assert.deepEqual(
    fake.requests
      .slice(before)
      .map((r) => (r.method === 'PUT' ? (r.body as { watt: number }).watt : r.method)),
    ['GET', 3000, 'GET', 3100],
  );
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3100);
});

test('an abort while queued behind another write gives up without sending', async () => {
  const d = driver(fake);
  fake.fault('power-target', 'hang');
  const from = fake.requests.length;
  const first = d.write('total', { kind: 'power_limit_w', value: 3000 }, ctx());
  await putSent(fake, 3000, from);
  const controller = new AbortController();
  const second = d.write('total', { kind: 'power_limit_w', value: 3100 }, ctx(controller.signal));
  await waitUntil(() => d.writesWaiting === 1, 'second write queued');
  controller.abort(new Error('deadline'));
  await rejects(second, 'unreachable', /waiting for the previous write/);
  fake.releaseHung();
  await rejects(first, 'unreachable');
  assert.equal(fake.powerTargetW(), 3500);
});
