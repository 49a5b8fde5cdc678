// Advice through the whole Valkey sink against a real redis-server: written while the server is down,
// spooled, replayed once and then again from a copy, and spool lines of the earlier layout replayed.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import {
  hasRedisServer,
  type RedisServer,
  startRedis,
  waitUntil,
} from '../../../test/helpers/redis-server.ts';
import { AppendLog } from '../../durable/index.ts';
import { controlJson, keyNames } from './encode.ts';
import { create, type ValkeySink } from './index.ts';
import type { ValkeyOptionsInput } from './options.ts';
import { adviceRecord as rec } from './test-kit.ts';

const T0 = 1_700_000_000_000;
const skip = hasRedisServer() ? false : 'redis-server is not installed';
const logger = pino({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'rigtune-valkey-advice-'));
let server: RedisServer;
let client: ReturnType<typeof createClient>;
let sub: ReturnType<typeof createClient> | null = null;
const heard: Array<{ channel: string; message: string }> = [];
let markers = 0;

async function connect(): Promise<void> {
  client?.destroy();
  sub?.destroy();
  client = createClient({ url: server.url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  sub = client.duplicate();
  sub.on('error', () => undefined);
  await sub.connect();
  await sub.pSubscribe('*', (message, channel) => heard.push({ channel, message }));
}

before(async () => {
  if (skip) return;
  server = await startRedis();
  await connect();
});

after(async () => {
  rmSync(root, { recursive: true, force: true });
  if (skip) return;
  client.destroy();
  sub?.destroy();
  await server.stop();
});

const options = (prefix: string, spool_dir: string): ValkeyOptionsInput => ({
  url: server.url,
  key_prefix: prefix,
  spool_dir,
  command_timeout_ms: 200,
  connect_timeout_ms: 200,
  reconnect_max_ms: 50,
});

/** Runs a sink until its spool is replayed and it is idle; returns its stats. */
async function drain(o: ValkeyOptionsInput): Promise<{ valuesSet: number; replayed: number }> {
  const sink: ValkeySink = create(o, { logger });
  await sink.flush();
  await waitUntil(() => {
    const h = sink.health();
    return h.ok && h.queued === 0 && h.spooled === 0;
  }, 'the spool is replayed');
  await sink.close();
  return sink.stats();
}

/** Messages published on `channel` so far (a marker through the same server orders them). */
async function published(channel: string): Promise<string[]> {
  const marker = `marker-${markers++}`;
  await client.publish('marker', marker);
  await waitUntil(() => heard.some((p) => p.message === marker), 'the marker arrives');
  return heard.filter((p) => p.channel === channel).map((p) => p.message);
}

const kinds = ['check_fan', 'raise_fan', 'lower_power_limit', 'lower_core_clock'];

test('advice spooled during an outage replays to the active set once; a second replay changes nothing', {
  skip,
}, async () => {
  const spool = join(root, 'spool');
  await server.kill();
  const down = create(options('v1', spool), { logger });
  const raised = kinds.map((kind) => rec('r', T0, kind, 'gpu0', 'active', T0));
  const other = rec('q', T0 + 1000, 'check_pool', '*', 'active', T0 + 1000);
  const clear = rec('r', T0 + 9000, 'raise_fan', 'gpu0', 'cleared', T0);
  const all = [...raised, other, clear];
  for (const r of all) down.writeControl(r);
  await down.close();
  assert.equal(down.health().spooled, all.length);
  const copy = join(root, 'copy');
  cpSync(spool, copy, { recursive: true });
  await server.restart();
  await connect();

  assert.equal((await drain(options('v1', spool))).valuesSet, all.length);
  const expected = [raised[0], raised[2], raised[3]].map(controlJson).sort();
  assert.deepEqual(Object.values(await client.hGetAll(keyNames('v1', 'r').advice)).sort(), expected);
  assert.deepEqual(Object.values(await client.hGetAll(keyNames('v1', 'q').advice)), [controlJson(other)]);
  const once = [...raised, clear].map(controlJson);
  assert.deepEqual(await published('v1:advice:r'), once);

  // The same spool again (a crash between sending and committing): applied nothing, published nothing.
  const again = await drain(options('v1', copy));
  assert.deepEqual([again.replayed, again.valuesSet], [all.length, 0]);
  assert.deepEqual(Object.values(await client.hGetAll(keyNames('v1', 'r').advice)).sort(), expected);
  assert.deepEqual(await published('v1:advice:r'), once);
  assert.deepEqual(await published('v1:advice:q'), [controlJson(other)]);
});

test('a spool of the earlier layout (advice as one string) still replays into the active set', {
  skip,
}, async () => {
  const spool = join(root, 'legacy');
  const k = keyNames('v2', 'r');
  const [a, b] = kinds.slice(0, 2).map((kind) => rec('r', T0, kind, 'gpu1', 'active', T0));
  const clear = rec('r', T0 + 5000, kinds[0], 'gpu1', 'cleared', T0);
  const line = (r: typeof a, version: string) =>
    JSON.stringify([1, [k.advice, k.adviceVersion], ['2', version, controlJson(r), k.advice, '100000']]);
  const log = await AppendLog.open({ dir: spool, name: 'valkey' });
  for (const text of [line(a, String(T0)), line(b, `${T0}:1`), line(clear, String(T0 + 5000))])
    log.append(text);
  await log.close();

  const stats = await drain(options('v2', spool));
  assert.deepEqual([stats.replayed, stats.valuesSet], [3, 3]);
  assert.deepEqual(await client.hGetAll(k.advice), { [b.payload.id as string]: controlJson(b) });
  assert.deepEqual(await published('v2:advice:r'), [a, b, clear].map(controlJson));
});
