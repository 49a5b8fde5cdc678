// The service against a real redis-server shut down, killed or paused mid-run, or down across a service
// restart: scoring never waits; once Valkey is back each snapshot is in its stream once, in order.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import type { RigTickBatch } from '../../src/core/sink.ts';
import { create as createEmbedded, type EmbeddedStore } from '../../src/sinks/embedded/index.ts';
import { create as createValkey, type ValkeySink } from '../../src/sinks/valkey/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { INTERVAL_MS, RecordingSink, startService, T0, type TestService } from './service-kit.ts';

const RIGS = { 'rig-a': 3, 'rig-b': 2 };
const skip = hasRedisServer() ? false : 'redis-server is not installed (/usr/bin/redis-server)';
const root = mkdtempSync(join(tmpdir(), 'rigtune-service-valkey-'));
let server: RedisServer;

before(async () => {
  if (!skip) server = await startRedis();
});

after(async () => {
  if (!skip) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

async function connect() {
  const c = createClient({ url: server.url, socket: { reconnectStrategy: () => 20 } });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** The service with the recorder first, the embedded store and a Valkey sink under key prefix `prefix`. */
async function run(prefix: string, clock = new FakeClock(T0)) {
  const recorder = new RecordingSink();
  const store: EmbeddedStore = createEmbedded({}, {});
  const valkey: ValkeySink = createValkey(
    {
      url: server.url,
      key_prefix: prefix,
      spool_dir: join(root, prefix),
      command_timeout_ms: 200,
      connect_timeout_ms: 200,
      reconnect_max_ms: 50,
      spool_segment_bytes: 16 * 1024,
    },
    { logger: pino({ level: 'silent' }) },
  );
  await waitUntil(() => valkey.health().ok, 'the Valkey sink connects');
  const svc: TestService = await startService(RIGS, [recorder, store, valkey], clock);
  return { recorder, store, valkey, svc };
}

/** Every state published on `{prefix}:score:*`, as ts per rig. */
async function subscribe(prefix: string) {
  const sub = await connect();
  const seen = new Map<string, number[]>();
  await sub.pSubscribe(`${prefix}:score:*`, (message, channel) => {
    const rig = channel.slice(`${prefix}:score:`.length);
    seen.set(rig, [...(seen.get(rig) ?? []), JSON.parse(message).ts]);
  });
  return { sub, seen };
}

async function drained(valkey: ValkeySink): Promise<void> {
  await valkey.flush();
  await waitUntil(() => {
    const h = valkey.health();
    return h.ok && h.queued === 0 && h.spooled === 0;
  }, 'the Valkey sink is healthy with its queue and spool empty');
}

/** Scoring went on: the store holds every rig's state of the current tick. */
function assertScoredNow(store: EmbeddedStore, svc: TestService, batchesBefore: number, ticks: number) {
  for (const [rig, devices] of Object.entries(RIGS)) {
    const state = store.latest(rig);
    assert.equal(state?.ts, svc.clock.nowMs(), rig);
    assert.equal(state?.devices.length, devices, rig);
  }
  assert.equal(svc.service.stats().batches, batchesBefore + ticks * Object.keys(RIGS).length);
}

/** `{prefix}:snapshots:{rig}` must hold exactly `batches`' snapshots of that rig, in order, values intact. */
async function assertStreams(prefix: string, batches: readonly RigTickBatch[]): Promise<void> {
  const check = await connect();
  try {
    for (const rig of Object.keys(RIGS)) {
      const want = batches.filter((b) => b.rig === rig).flatMap((b) => b.snapshots);
      const entries = (await check.xRange(`${prefix}:snapshots:${rig}`, '-', '+')) ?? [];
      const key = (ts: number, device: string) => `${ts - batches[0].ts}:${device}`;
      assert.deepEqual(
        entries.map((e) => key(Number(e.message.ts), e.message.device)),
        want.map((s) => key(s.ts, s.device)),
        `${rig}: one entry per snapshot, none lost, none duplicated, in order`,
      );
      assert.deepEqual(
        entries.map((e) => JSON.parse(e.message.snapshot)),
        JSON.parse(JSON.stringify(want)),
        `${rig}: snapshots intact`,
      );
      const events = (await check.xRange(`${prefix}:events:${rig}`, '-', '+')) ?? [];
      assert.deepEqual(
        events.map((e) => JSON.parse(e.message.event)),
        JSON.parse(JSON.stringify(batches.filter((b) => b.rig === rig).flatMap((b) => b.events))),
        `${rig}: one entry per rupture event`,
      );
      const last = JSON.parse((await check.get(`${prefix}:last:${rig}`)) ?? 'null');
      const newest = batches.filter((b) => b.rig === rig).at(-1);
      assert.deepEqual(last, JSON.parse(JSON.stringify(newest?.state)), `${rig}: last holds the newest tick`);
    }
  } finally {
    check.destroy();
  }
}

/** Subscribers heard each rig's newest state; what they heard only moved forward. */
async function assertPublished(seen: Map<string, number[]>, batches: readonly RigTickBatch[]) {
  for (const rig of Object.keys(RIGS)) {
    const newest = batches.filter((b) => b.rig === rig).at(-1)?.state.ts;
    await waitUntil(() => seen.get(rig)?.at(-1) === newest, `the subscriber hears ${rig}'s newest state`);
    const heard = seen.get(rig) ?? [];
    for (let i = 1; i < heard.length; i++) assert.ok(heard[i] > heard[i - 1], `${rig} published in order`);
  }
}

test('Valkey shut down mid-run and restarted: the service keeps scoring; the whole stream exactly once', {
  skip,
}, async (t) => {
  const { sub, seen } = await subscribe('stop');
  t.after(() => sub.destroy());
  const { recorder, store, valkey, svc } = await run('stop');
  t.after(() => svc.service.stop());
  await svc.ticks(15);
  // SHUTDOWN SAVE: the restarted server holds exactly what this one executed, answered or not.
  await server.shutdownSave();
  const before = svc.service.stats().batches;
  await svc.ticks(15);
  assertScoredNow(store, svc, before, 15);
  await waitUntil(() => !valkey.health().ok, 'the sink reports the outage');
  await valkey.flush();
  assert.ok(valkey.health().spooled > 0, JSON.stringify(valkey.health()));

  await server.restart();
  await svc.ticks(15);
  await drained(valkey);
  assert.equal(recorder.batches.length, 46 * 2, '46 polls of two rigs');
  await assertStreams('stop', recorder.batches);
  await assertPublished(seen, recorder.batches);
  assert.equal(valkey.health().dropped, 0);
  assert.ok(valkey.stats().replayed > 0);
});

test('Valkey killed (SIGKILL, data gone) and restarted: exactly the unacknowledged ticks land, once', {
  skip,
}, async (t) => {
  const { sub, seen } = await subscribe('kill');
  t.after(() => sub.destroy());
  const { recorder, store, valkey, svc } = await run('kill');
  t.after(() => svc.service.stop());
  await svc.ticks(15);
  const beforeKill = recorder.batches.length;
  await server.kill();
  const before = svc.service.stats().batches;
  await svc.ticks(15);
  assertScoredNow(store, svc, before, 15);
  // A refused reconnect proves the old socket is closed: every reply the server sent has been read.
  await waitUntil(() => /ECONNREFUSED/.test(valkey.health().lastError ?? ''), 'the sink sees the refusal');
  await valkey.flush();
  assert.ok(valkey.health().spooled > 0, JSON.stringify(valkey.health()));
  // The sink sends in order, so what the dead server acknowledged is a prefix of the batches.
  const acked = valkey.stats().written;
  assert.ok(acked <= beforeKill, `${acked} acknowledged of ${beforeKill} sent before the kill`);

  await server.restart();
  await svc.ticks(15);
  await drained(valkey);
  await assertStreams('kill', recorder.batches.slice(acked));
  await assertPublished(seen, recorder.batches);
  assert.equal(valkey.stats().duplicates, 0, 'the new server met each entry once');
  assert.equal(valkey.health().dropped, 0);
});

test('Valkey paused (writes stall) mid-run: scoring is not held up; everything lands once on resume', {
  skip,
}, async (t) => {
  const { sub, seen } = await subscribe('slow');
  t.after(() => sub.destroy());
  const { recorder, store, valkey, svc } = await run('slow');
  t.after(() => svc.service.stop());
  const admin = await connect();
  t.after(() => admin.destroy());
  await svc.ticks(10);
  await admin.sendCommand(['CLIENT', 'PAUSE', '60000', 'WRITE']);
  t.after(() => admin.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => undefined));
  const before = svc.service.stats().batches;
  await svc.ticks(20);
  // Every tick was scored while no write could complete (the server holds them until UNPAUSE).
  assertScoredNow(store, svc, before, 20);
  await waitUntil(() => !valkey.health().ok, 'the sink notices the stall');
  await svc.ticks(5);
  assertScoredNow(store, svc, before, 25);
  await admin.sendCommand(['CLIENT', 'UNPAUSE']);
  await drained(valkey);
  await assertStreams('slow', recorder.batches);
  await assertPublished(seen, recorder.batches);
  assert.equal(valkey.health().dropped, 0);
});

test('the service stopped while Valkey is down: the next run replays the spool first, then its own', {
  skip,
}, async (t) => {
  const { sub, seen } = await subscribe('again');
  t.after(() => sub.destroy());
  const first = await run('again');
  await first.svc.ticks(10);
  await server.shutdownSave();
  await first.svc.ticks(10);
  await first.valkey.flush();
  await first.svc.service.stop();
  assert.ok(first.valkey.stats().spooledTotal > 0, JSON.stringify(first.valkey.stats()));

  await server.restart();
  const second = await run('again', new FakeClock(first.svc.clock.nowMs() + INTERVAL_MS));
  t.after(() => second.svc.service.stop());
  await second.svc.ticks(10);
  await drained(second.valkey);
  const all = [...first.recorder.batches, ...second.recorder.batches];
  await assertStreams('again', all);
  await assertPublished(seen, all);
  assert.ok(second.valkey.stats().replayed > 0);
  assert.equal(second.valkey.health().dropped, 0);
});
