// The LuxOS driver against the stateful fake TCP API on loopback: describe, read, write and read back
// inside a session, bounds before logon, logoff on every path, one session at a time, faults, aborts.

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import {
  type FakeLuxos,
  type FakeLuxosOptions,
  type LuxosProfile,
  startLuxosApi,
} from '../../../../test/fakes/luxos-api.ts';
import { FakeClock } from '../../../../test/helpers/fake-clock.ts';
import { waitUntil } from '../../../../test/helpers/redis-server.ts';
import type { ActuatorContext } from '../../../core/actuator.ts';
import { ActuatorError } from '../../../core/errors.ts';
import { create, type LuxosActuator } from './index.ts';

const clock = new FakeClock();
const ctx = (signal: AbortSignal = new AbortController().signal): ActuatorContext => ({ clock, signal });

// An S19k Pro-like table whose stock profile targets 3320 W (power-targeting model).
const PROFILES: LuxosProfile[] = [
  { name: '240MHz', step: -2, frequencyMhz: 240, watts: 2900 },
  { name: '265MHz', step: -1, frequencyMhz: 265, watts: 3100 },
  { name: 'default', step: 0, frequencyMhz: 290, watts: 3320 },
  { name: '315MHz', step: 1, frequencyMhz: 315, watts: 3450 },
];
const POWER = { targetW: 3320, minW: 2800, limitW: 3500 };

let fake: FakeLuxos;
const started: FakeLuxos[] = [];
async function start(options: FakeLuxosOptions = {}): Promise<FakeLuxos> {
  const f = await startLuxosApi({ profiles: PROFILES, powerTarget: POWER, ...options });
  started.push(f);
  return f;
}
const logoffFailures: ActuatorError[] = [];
function driver(f: FakeLuxos, more: object = {}): LuxosActuator {
  return create(
    { host: f.host, port: f.port, timeout_ms: 2000, ...more },
    { rig: 'rig-l', onLogoffFailure: (e) => logoffFailures.push(e) },
  );
}
async function rejects(
  p: Promise<unknown>,
  reason: ActuatorError['reason'],
  message?: RegExp,
): Promise<void> {
  const err = await p.then(
    () => assert.fail('expected an ActuatorError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ActuatorError, `not an ActuatorError: ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  if (message) assert.match(err.message, message);
}
const wire = (f: FakeLuxos, from = 0) =>
  f.requests.slice(from).map((r) => (r.parameter === null ? r.command : `${r.command} ${r.parameter}`));
const power = (value: number | null) => ({ kind: 'power_limit_w' as const, value });
const step = (value: number | null) => ({ kind: 'profile_step' as const, value });

before(async () => {
  fake = await start();
});
beforeEach(async () => {
  for (const c of ['atm', 'logon', 'logoff', 'profileset', 'powertargetset', 'devs']) fake.fault(c, null);
  fake.holdSession(null);
  logoffFailures.length = 0;
  await driver(fake).write('total', step(0), ctx());
});
after(async () => {
  for (const f of started) await f.close();
});

test('describe: total with the power-target range from atm and the profile steps from profiles', async () => {
  assert.deepEqual(await driver(fake).describe(ctx()), [
    {
      rig: 'rig-l',
      device: 'total',
      model: 'Antminer S19k Pro',
      limits: {
        power_limit_w: { min: 2800, max: 3500, step: 1, default: 3320 },
        profile_step: { min: -2, max: 1, step: 1, default: 0 },
      },
    },
  ]);
});

test('power target: logon, powertargetset with the session id, logoff; atm reads it back', async () => {
  const d = driver(fake);
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3320);
  const from = fake.requests.length;
  await d.write('total', power(3000), ctx());
  const [atm, logon, set, logoff] = wire(fake, from);
  assert.deepEqual([atm, logon], ['atm', 'logon']);
  const sid = /^powertargetset (S\d{7}),3000$/.exec(set)?.[1];
  assert.ok(sid !== undefined, set);
  assert.equal(logoff, `logoff ${sid}`);
  assert.equal(fake.state().session, null);
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3000);
  await d.write('total', power(null), ctx()); // the stock profile's predefined target
  assert.match(wire(fake).at(-2) ?? '', /^profileset S\d+,default$/);
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3320);
});

test('profile step: profileset by name, devs Profile mapped back to the step (0 = stock)', async () => {
  const d = driver(fake);
  assert.equal(await d.read('total', 'profile_step', ctx()), 0);
  await d.write('total', step(-1), ctx());
  assert.match(wire(fake).at(-2) ?? '', /^profileset S\d+,265MHz$/);
  assert.deepEqual(fake.state().boardProfiles, ['265MHz', '265MHz', '265MHz']);
  assert.equal(await d.read('total', 'profile_step', ctx()), -1);
  await d.write('total', step(null), ctx());
  assert.equal(await d.read('total', 'profile_step', ctx()), 0);
});

test('out of bounds: refused before logon, nothing sent but the bounds read', async () => {
  const d = driver(fake);
  for (const change of [power(2799), power(3501), power(3000.5), step(2), step(-3), step(0.5)]) {
    const from = fake.requests.length;
    await rejects(d.write('total', change, ctx()), 'out_of_bounds');
    assert.ok(!wire(fake, from).includes('logon'), JSON.stringify(change));
  }
  assert.equal(fake.state().powerTargetW, 3320);
});

test('accepted but not applied: the write resolves, the read-back shows the old value', async () => {
  const d = driver(fake);
  fake.fault('powertargetset', 'ignore');
  await d.write('total', power(3100), ctx());
  assert.equal(await d.read('total', 'power_limit_w', ctx()), 3320);
  assert.equal(fake.state().session, null);
});

test('a refused or garbled write still logs off', async () => {
  const d = driver(fake);
  fake.fault('profileset', 'refuse');
  await rejects(d.write('total', step(1), ctx()), 'refused', /profileset.*code 45/);
  assert.equal(wire(fake).at(-1)?.startsWith('logoff '), true);
  fake.fault('profileset', 'garbage');
  await rejects(d.write('total', step(1), ctx()), 'unreachable', /not LuxOS API JSON/);
  assert.equal(fake.state().session, null);
  fake.fault('atm', 'close');
  await rejects(d.read('total', 'power_limit_w', ctx()), 'unreachable', /reset/);
});

test('another client holds the session: refused with a clear message, its session untouched', async () => {
  fake.holdSession('Other123');
  const from = fake.requests.length;
  await rejects(driver(fake).write('total', power(3000), ctx()), 'refused', /another client holds it/);
  assert.deepEqual(wire(fake, from), ['atm', 'logon']);
  assert.equal(fake.state().session, 'Other123');
});

test('a failed logoff does not fail the write; the owner hears of it', async () => {
  fake.fault('logoff', 'refuse');
  await driver(fake).write('total', power(3050), ctx());
  assert.equal(fake.state().powerTargetW, 3050);
  assert.equal(logoffFailures.length, 1);
  assert.equal(logoffFailures[0].reason, 'refused');
});

test('a model without power targeting offers profile steps only', async () => {
  const f = await start({ powerTarget: null });
  const d = driver(f);
  const [total] = await d.describe(ctx());
  assert.deepEqual(Object.keys(total.limits), ['profile_step']);
  await rejects(d.read('total', 'power_limit_w', ctx()), 'unsupported', /no power targeting/);
  await rejects(d.write('total', power(3000), ctx()), 'unsupported', /no power targeting/);
  assert.ok(!wire(f).includes('logon'));
});

test('a hung write: the caller aborts; the session is still logged off', async () => {
  const d = driver(fake);
  fake.fault('powertargetset', 'hang');
  const controller = new AbortController();
  const from = fake.requests.length;
  const writing = d.write('total', power(3000), ctx(controller.signal));
  await waitUntil(() => wire(fake, from).some((w) => w.startsWith('powertargetset')), 'powertargetset sent');
  controller.abort(new Error('shutdown'));
  await rejects(writing, 'unreachable', /timeout/);
  assert.equal(wire(fake).at(-1)?.startsWith('logoff '), true);
  assert.equal(fake.state().session, null);
  fake.releaseHung();
  fake.fault('atm', 'hang');
  await rejects(
    driver(fake, { timeout_ms: 50 }).read('total', 'power_limit_w', ctx()),
    'unreachable',
    /50 ms/,
  );
  fake.releaseHung();
});

test('two writes on one driver: one session after the other, never a 402', async () => {
  const d = driver(fake);
  const from = fake.requests.length;
  await Promise.all([d.write('total', power(3000), ctx()), d.write('total', step(1), ctx())]);
  const sessions = wire(fake, from).filter((w) => /^(logon|logoff)/.test(w));
  assert.deepEqual(
    sessions.map((w) => w.split(' ')[0]),
    ['logon', 'logoff', 'logon', 'logoff'],
  );
  assert.equal(fake.maxWritesInFlight(), 1);
  // The second write is held while the first one hangs, then runs once it is over.
  fake.fault('powertargetset', 'hang');
  const mark = fake.requests.length;
  const first = d.write('total', power(3000), ctx());
  await waitUntil(() => wire(fake, mark).some((w) => w.startsWith('powertargetset')), 'first write sent');
  const second = d.write('total', step(-2), ctx());
  await waitUntil(() => d.writesWaiting === 1, 'second write queued');
  fake.releaseHung();
  await rejects(first, 'unreachable');
  await second;
  assert.deepEqual(fake.state().boardProfiles, ['240MHz', '240MHz', '240MHz']);
  assert.equal(fake.state().session, null);
});

test("profile_scope 'board': legacy per-board profileset and per-board read-back", async () => {
  const f = await start({ perBoardProfiles: true, powerTarget: null });
  const d = driver(f, { profile_scope: 'board' });
  assert.deepEqual(
    (await d.describe(ctx())).map((c) => c.device),
    ['board1', 'board2', 'board3'],
  );
  await d.write('board2', step(1), ctx());
  assert.match(wire(f).at(-2) ?? '', /^profileset S\d+,1,315MHz$/);
  assert.equal(await d.read('board2', 'profile_step', ctx()), 1);
  assert.equal(await d.read('board1', 'profile_step', ctx()), 0);
  await rejects(d.write('total', step(1), ctx()), 'unsupported', /per board/);
  await rejects(d.write('board5', step(1), ctx()), 'unsupported', /0…3/);
  const machine = driver(f); // the boards now disagree
  await rejects(
    machine.read('total', 'profile_step', ctx()),
    'unsupported',
    /different profiles.*board2 315MHz/,
  );
  await rejects(machine.write('board1', step(1), ctx()), 'unsupported', /profile_scope machine/);
  await rejects(machine.read('total', 'fan_pct', ctx()), 'unsupported', /not fan_pct/);
});
