// Valkey outage end to end: the sink writes several rigs' ticks to a real redis-server, the server is
// killed mid-run and restarted; every batch must arrive exactly once, in order, and `last` be the newest.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import { create, type ValkeySink } from '../../src/sinks/valkey/index.ts';
import { batchAt } from '../helpers/parquet-batches.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';

const T0 = 1_700_000_000_000;
const RIGS = ['rig-a', 'rig-b', 'rig-c'];
const DEVICES = 4;
const skip = hasRedisServer() ? false : 'redis-server is not installed';
const root = mkdtempSync(join(tmpdir(), 'rigtune-valkey-outage-'));
let server: RedisServer;

before(async () => {
  if (!skip) server = await startRedis();
});

after(async () => {
  if (!skip) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

async function connect(url: string) {
  const c = createClient({ url, socket: { reconnectStrategy: (n: number) => Math.min(20 * (n + 1), 200) } });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** Writes ticks [from, to) for every rig, yielding to the event loop after each tick as a service does. */
async function tick(sink: ValkeySink, from: number, to: number): Promise<void> {
  for (let k = from; k < to; k++) {
    for (const rig of RIGS) sink.write(batchAt(rig, T0 + k * 1000, k, DEVICES));
    await new Promise((r) => setImmediate(r));
  }
}

test('Valkey stopped and restarted mid-run: nothing lost, nothing duplicated, in order', {
  skip,
}, async (t) => {
  const sub = await connect(server.url);
  t.after(() => sub.destroy());
  const seen = new Map<string, number[]>();
  await sub.pSubscribe('telemetry:score:*', (message, channel) => {
    const list = seen.get(channel) ?? [];
    list.push(JSON.parse(message).ts);
    seen.set(channel, list);
  });
  const sink = create(
    {
      url: server.url,
      spool_dir: join(root, 'spool'),
      command_timeout_ms: 200,
      connect_timeout_ms: 200,
      reconnect_max_ms: 50,
      spool_segment_bytes: 64 * 1024,
    },
    { logger: pino({ level: 'silent' }) },
  );
  t.after(() => sink.close());
  await waitUntil(() => sink.health().ok, 'the sink connects');

  await tick(sink, 0, 100);
  await waitUntil(() => sink.stats().written > 0, 'some ticks are written');
  // SHUTDOWN SAVE keeps what the server executed (answered or not) for the restart.
  await server.shutdownSave();
  await tick(sink, 100, 200);
  await waitUntil(() => !sink.health().ok, 'the sink reports the outage');
  await sink.flush();
  const during = sink.health();
  assert.ok(during.spooled > 0, JSON.stringify(during));
  assert.notEqual(during.lastError, null);

  await server.restart();
  await tick(sink, 200, 300);
  await sink.flush();
  await waitUntil(() => {
    const h = sink.health();
    return h.ok && h.queued === 0 && h.spooled === 0;
  }, 'the spool is replayed');

  const check = await connect(server.url);
  t.after(() => check.destroy());
  const want = Array.from({ length: 300 }, (_, k) =>
    Array.from({ length: DEVICES }, (_, d) => `${k}:gpu${d}`),
  ).flat();
  for (const rig of RIGS) {
    const entries = (await check.xRange(`telemetry:snapshots:${rig}`, '-', '+')) ?? [];
    const got = entries.map((e) => `${(Number(e.message.ts) - T0) / 1000}:${e.message.device}`);
    assert.deepEqual(got, want, rig);
    const ids = entries.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    const last = JSON.parse((await check.get(`telemetry:last:${rig}`)) ?? '');
    assert.equal(last.ts, T0 + 299_000);
    assert.equal(last.devices.length, DEVICES);
    // Published states: strictly increasing (a replayed state is never published twice).
    const published = seen.get(`telemetry:score:${rig}`) ?? [];
    for (let i = 1; i < published.length; i++) assert.ok(published[i] > published[i - 1], rig);
  }
  await waitUntil(
    () => RIGS.every((r) => seen.get(`telemetry:score:${r}`)?.at(-1) === T0 + 299_000),
    'the subscriber hears the newest states',
  );
  assert.equal(sink.health().dropped, 0);
});
