// A rig read by several sources gets one batch per source each tick, all with the same state time:
// Valkey's `last` and its publishes must follow every one of them, as the embedded store does.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import pino from 'pino';
import { createClient } from 'redis';
import { create as createEmbedded } from '../../src/sinks/embedded/index.ts';
import { create as createValkey } from '../../src/sinks/valkey/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { RecordingSink, startService } from './service-kit.ts';

const RIGS = { 'rig-a': { gpu: 2, board: 3 }, 'rig-b': 2 };
const skip = hasRedisServer() ? false : 'redis-server is not installed (/usr/bin/redis-server)';
const root = mkdtempSync(join(tmpdir(), 'rigtune-service-state-'));
let server: RedisServer;

before(async () => {
  if (!skip) server = await startRedis();
});

after(async () => {
  if (!skip) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

async function connect() {
  const c = createClient({ url: server.url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** `value` as JSON gives it back (what a reader of Valkey sees). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

test('two sources of one rig at the same tick: `last` and the publishes end at the full state', {
  skip,
}, async (t) => {
  const sub = await connect();
  t.after(() => sub.destroy());
  const heard = new Map<string, unknown[]>();
  await sub.pSubscribe('multi:score:*', (message, channel) => {
    const rig = channel.slice('multi:score:'.length);
    heard.set(rig, [...(heard.get(rig) ?? []), JSON.parse(message)]);
  });
  const recorder = new RecordingSink();
  const store = createEmbedded({}, {});
  const valkey = createValkey(
    { url: server.url, key_prefix: 'multi', spool_dir: join(root, 'spool') },
    { logger: pino({ level: 'silent' }) },
  );
  await waitUntil(() => valkey.health().ok, 'the Valkey sink connects');
  const svc = await startService(RIGS, [recorder, store, valkey]);
  t.after(() => svc.service.stop());
  await svc.ticks(5);
  await valkey.flush();
  await waitUntil(() => valkey.health().queued === 0, 'everything is written');

  const check = await connect();
  t.after(() => check.destroy());
  for (const rig of Object.keys(RIGS)) {
    const full = plain(store.latest(rig));
    const perTick = recorder.batches.filter((b) => b.rig === rig && b.state.ts === svc.clock.nowMs());
    assert.equal(perTick.length, rig === 'rig-a' ? 2 : 1, `${rig}: batches of the last tick`);
    assert.deepEqual(JSON.parse((await check.get(`multi:last:${rig}`)) ?? 'null'), full, `${rig}: last`);
    // Both sources' snapshots of a tick share its ms in the entry ids; each is in the stream once.
    const entries = (await check.xRange(`multi:snapshots:${rig}`, '-', '+')) ?? [];
    assert.deepEqual(
      entries.map((e) => JSON.parse(e.message.snapshot)),
      plain(recorder.batches.filter((b) => b.rig === rig).flatMap((b) => b.snapshots)),
    );
    await waitUntil(
      () => isDeepStrictEqual(heard.get(rig)?.at(-1), full),
      `the subscriber hears ${rig}'s full state`,
    );
    // One publish per batch: each carried a state the subscriber had not seen.
    const states = heard.get(rig) ?? [];
    assert.equal(states.length, recorder.batches.filter((b) => b.rig === rig).length, `${rig}: publishes`);
    assert.equal(new Set(states.map((s) => JSON.stringify(s))).size, states.length, `${rig}: no repeats`);
  }
});
