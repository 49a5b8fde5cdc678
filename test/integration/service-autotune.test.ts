// Auto-tune in the running service on the fake clock: a simulated H100 read by the Service, scored, and
// tuned through the sim actuator in auto mode; actions reach a real redis-server's
// telemetry:actions:{rig} stream and the audit log; the control API sets modes, takes a manual
// set-point, lists actions and engages the kill switch; shutdown restores the safe settings.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import { createApi } from '../../src/api/index.ts';
import type { ControlRecord, Sink } from '../../src/core/sink.ts';
import { create as createAudit, readAuditLog } from '../../src/sinks/audit/index.ts';
import { create as createEmbedded } from '../../src/sinks/embedded/index.ts';
import { create as createValkey } from '../../src/sinks/valkey/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { boot, h100Fleet, powerLimitW, RIG, simRig, T0 } from './autotune-service-kit.ts';

const TOKEN = 'service-autotune-token-0123';
const skip = hasRedisServer() ? false : 'redis-server is not installed (/usr/bin/redis-server)';
const root = mkdtempSync(join(tmpdir(), 'rigtune-service-autotune-'));
let server: RedisServer;

before(async () => {
  if (!skip) server = await startRedis();
});

after(async () => {
  if (!skip) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

type Payload = Record<string, unknown>;
const steps = (records: readonly ControlRecord[]) =>
  records.filter((r) => r.kind === 'action').map((r) => r.payload as Payload);

test('auto steps the power limit; the API steers it; actions reach Valkey and the audit log; stop restores', {
  skip,
}, async (t) => {
  const clock = new FakeClock(T0);
  const fleet = h100Fleet();
  const logger = pino({ level: 'silent' });
  const store = createEmbedded({ control_history: 1000 }, { clock });
  const valkey = createValkey(
    { url: server.url, key_prefix: 'at', spool_dir: join(root, 'spool') },
    { logger, clock },
  );
  const audit = createAudit({ dir: join(root, 'audit'), fsync_interval_ms: 0 }, { clock, logger });
  const sinks: Sink[] = [store, valkey, audit];
  await waitUntil(() => valkey.health().ok, 'the Valkey sink connects');
  const p = await boot(join(root, 'journal'), clock, [simRig(fleet, 'auto')], sinks);
  t.after(async () => {
    await p.service.stop();
    await p.journal.close();
  });
  const control = p.service.control();
  assert.ok(control !== null);
  const api = createApi({
    state: store,
    control,
    token: () => TOKEN,
    history: null,
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    health: () => ({ status: 'ok', components: {} }),
    logger: false,
    version: 'test',
  });
  const { url } = await api.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => api.close());
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
  await p.service.start();
  const runTo = (s: number) => clock.advanceTo(T0 + s * 1000);

  // Auto: after the baseline one step down, written, read back and under validation.
  await runTo(90);
  // Decision passes run in the background on real journal I/O (fsync): let each settle before checking.
  await waitUntil(
    () => steps(store.control(RIG)).some((a) => a.status === 'verified'),
    'the first step is verified',
  );
  assert.ok(powerLimitW(fleet) < 700, `stepped: ${powerLimitW(fleet)} W`);
  const [first] = steps(store.control(RIG)).filter((a) => a.status === 'verified');
  assert.deepEqual(
    [first.device, first.setpoint, first.from, first.purpose],
    ['gpu0', 'power_limit_w', 700, 'tune'],
  );
  const status = (await (await fetch(`${url}/api/autotune`)).json()) as {
    rigs: { mode: string; devices: { validating: unknown }[] }[];
  };
  assert.equal(status.rigs[0].mode, 'auto');
  assert.notEqual(status.rigs[0].devices[0].validating, null);
  await runTo(170);
  await waitUntil(
    () => steps(store.control(RIG)).some((a) => a.id === first.id && a.status === 'validated'),
    'the first step is validated',
  );
  assert.equal(
    steps(store.control(RIG)).filter((a) => a.id === first.id && a.status === 'validated').length,
    1,
  );

  // Advise through the API (a step under validation rolls back), then a manual set-point once the
  // baseline after the last write is full again: exact, through the same guard rails.
  const mode = await post(`/api/rigs/${RIG}/autotune`, { mode: 'advise' });
  assert.deepEqual(await mode.json(), { rig: RIG, mode: 'advise', previous: 'auto' });
  await runTo(300);
  const before = powerLimitW(fleet);
  const manual = await post(`/api/rigs/${RIG}/actions`, {
    device: 'gpu0',
    kind: 'power_limit_w',
    value: before - 10,
    reason: 'operator check',
  });
  assert.equal(manual.status, 202, JSON.stringify(await manual.clone().json()));
  const accepted = (await manual.json()) as { id: string; to: number };
  assert.equal(accepted.to, before - 10);
  assert.equal(powerLimitW(fleet), before - 10, 'applied through the sim actuator');
  const listed = (await (await fetch(`${url}/api/rigs/${RIG}/actions`)).json()) as { actions: Payload[] };
  const mine = listed.actions.find((a) => a.id === accepted.id);
  assert.deepEqual([mine?.status, mine?.purpose, mine?.readback], ['verified', 'manual', before - 10]);
  const tooFar = await post(`/api/rigs/${RIG}/actions`, {
    device: 'gpu0',
    kind: 'power_limit_w',
    value: 100,
    reason: 'x',
  });
  assert.equal(tooFar.status, 409, 'busy: one action per device at a time');

  // The kill switch rolls back what is under validation and refuses every new action.
  const kill = await post('/api/killswitch', { engaged: true, reason: 'test' });
  assert.equal(((await kill.json()) as { kill_switch: { engaged: boolean } }).kill_switch.engaged, true);
  await clock.advance(0);
  await waitUntil(() => powerLimitW(fleet) === before, 'the step under validation is rolled back');
  assert.equal(powerLimitW(fleet), before, 'rolled back at once');
  const refused = await post(`/api/rigs/${RIG}/actions`, {
    device: 'gpu0',
    kind: 'power_limit_w',
    value: before - 10,
    reason: 'x',
  });
  assert.equal(refused.status, 409);
  assert.equal(((await refused.json()) as { error: { guard: string } }).error.guard, 'kill_switch');
  const rolled = p.journal.action(accepted.id);
  assert.equal(rolled?.status, 'rolled_back');
  assert.match(rolled?.rollbackReason ?? '', /kill switch: test/);

  // Shutdown: the safe setting (the device default) is restored before the sinks close.
  await post('/api/killswitch', { engaged: false });
  await p.service.stop();
  assert.equal(powerLimitW(fleet), 700);
  await p.journal.close();
  const logged = (await readAuditLog(join(root, 'audit'))).records.filter(
    (r) => 'type' in r && r.type === 'action',
  );
  const all = steps(store.control(RIG));
  assert.ok(
    all.some((a) => a.purpose === 'restore' && a.status === 'validated'),
    'a restore record',
  );
  assert.deepEqual(
    logged.map((r) => (r as { payload: Payload }).payload),
    JSON.parse(JSON.stringify(all)),
    'the audit log holds every action record, the restore included',
  );
  const check = createClient({ url: server.url });
  check.on('error', () => undefined);
  await check.connect();
  t.after(() => check.destroy());
  const entries = (await check.xRange(`at:actions:${RIG}`, '-', '+')) ?? [];
  assert.deepEqual(
    entries.map((e) => (JSON.parse(e.message.record) as { payload: Payload }).payload),
    JSON.parse(JSON.stringify(all)),
    'telemetry:actions:{rig} holds every action record once, in order',
  );
});

test('restart after a crash: the next start rolls back the action the journal has in flight', async () => {
  const fleet = h100Fleet();
  const dir = join(root, 'journal-crash');
  const clock1 = new FakeClock(T0);
  const store1 = createEmbedded({}, { clock: clock1 });
  const first = await boot(dir, clock1, [simRig(fleet, 'auto')], [store1]);
  await first.service.start();
  await clock1.advanceTo(T0 + 90_000);
  // The decision pass runs in the background on real journal I/O (fsync): let it settle.
  await waitUntil(
    () => first.journal.inFlight(RIG)[0]?.status === 'verified',
    'the first action is applied and verified',
  );
  const [inFlight] = first.journal.inFlight(RIG);
  assert.equal(inFlight?.status, 'verified');
  const stepped = powerLimitW(fleet);
  assert.ok(stepped < 700);
  // Crash: the process is gone (no stop, nothing restored); only the journal file and the device remain.
  await first.journal.close();

  const clock2 = new FakeClock(clock1.nowMs());
  const store2 = createEmbedded({}, { clock: clock2 });
  const second = await boot(dir, clock2, [simRig(fleet, 'auto')], [store2]);
  assert.equal(second.journal.replay.inFlight, 1);
  await second.service.start();
  assert.equal(powerLimitW(fleet), 700, 'the unvalidated setting was rolled back before anything else');
  const restored = second.journal.action(inFlight.id);
  assert.equal(restored?.status, 'rolled_back');
  assert.match(restored?.rollbackReason ?? '', /restart/);
  const [record] = steps(store2.control(RIG)).filter((a) => a.status === 'rolled_back');
  assert.deepEqual([record.id, record.from, record.to], [inFlight.id, 700, stepped]);
  await second.service.stop();
  await second.journal.close();
});
