// Tests of the Valkey sink against a real redis-server: keys, streams and pub/sub per tick; a server
// down at start, a paused (slow) server, a full queue and leftover spools, each without loss or duplicates.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import {
  hasRedisServer,
  type RedisServer,
  startRedis,
  waitUntil,
} from '../../../test/helpers/redis-server.ts';
import { stateJson } from './encode.ts';
import { create as createSink, type ValkeySink } from './index.ts';
import type { ValkeyOptionsInput } from './options.ts';
import { adviceRecord } from './test-kit.ts';

const T0 = 1_700_000_000_000;
const skip = hasRedisServer() ? false : 'redis-server is not installed';
const logger = pino({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'rigtune-valkey-sink-'));
let server: RedisServer;
let client: ReturnType<typeof createClient>;
let dirs = 0;
const sinks: ValkeySink[] = [];

/** Every sink a test creates is closed in after(), even when the test fails. */
function create(...args: Parameters<typeof createSink>): ValkeySink {
  const sink = createSink(...args);
  sinks.push(sink);
  return sink;
}

/** (Re)connects the test's own client, e.g. after the server was restarted. */
async function connectClient(): Promise<void> {
  client?.destroy();
  client = createClient({ url: server.url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
}

before(async () => {
  if (skip) return;
  server = await startRedis();
  await connectClient();
});

after(async () => {
  await Promise.all(sinks.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
  if (skip) return;
  client.destroy();
  await server.stop();
});

function sinkOptions(prefix: string, extra: Partial<ValkeyOptionsInput> = {}): ValkeyOptionsInput {
  return {
    url: server.url,
    key_prefix: prefix,
    spool_dir: join(root, `spool${dirs++}`),
    command_timeout_ms: 200,
    connect_timeout_ms: 200,
    reconnect_max_ms: 50,
    close_timeout_ms: 5000,
    ...extra,
  };
}

/** Device names of rig `rig`'s snapshot stream in stream order, as `tick:device`. */
async function streamed(prefix: string, rig: string): Promise<string[]> {
  const entries = (await client.xRange(`${prefix}:snapshots:${rig}`, '-', '+')) ?? [];
  return entries.map((e) => `${(Number(e.message.ts) - T0) / 1000}:${e.message.device}`);
}

const expected = (ticks: number, devices: number, from = 0) =>
  Array.from({ length: ticks }, (_, k) =>
    Array.from({ length: devices }, (_, d) => `${from + k}:gpu${d}`),
  ).flat();

async function settled(sink: ValkeySink): Promise<void> {
  await sink.flush();
  await waitUntil(() => {
    const h = sink.health();
    return h.ok && h.queued === 0 && h.spooled === 0;
  }, 'the sink is idle and healthy');
}

test('each tick: latest state, a publish, snapshot entries in order; health and stats', {
  skip,
}, async () => {
  const sub = client.duplicate();
  await sub.connect();
  const messages: string[] = [];
  await sub.subscribe('s1:score:rig', (m) => messages.push(m));
  const sink = create(sinkOptions('s1'), { logger });
  await waitUntil(() => sink.health().ok, 'connected');
  for (let k = 0; k < 5; k++) sink.write(batchAt('rig', T0 + k * 1000, k, 2));
  await sink.flush();
  await settled(sink);
  assert.deepEqual(await streamed('s1', 'rig'), expected(5, 2));
  assert.equal(await client.get('s1:last:rig'), stateJson(batchAt('rig', T0 + 4000, 4, 2).state));
  await waitUntil(() => messages.length === 5, 'five publishes');
  assert.equal(JSON.parse(messages[4]).ts, T0 + 4000);
  const stats = sink.stats();
  assert.equal(stats.accepted, 5);
  assert.equal(stats.entriesAdded, 10);
  assert.equal(stats.duplicates, 0);
  assert.deepEqual(sink.health(), { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null });
  await sink.close();
  await sink.close();
  sink.write(batchAt('rig', T0 + 9000, 9, 2));
  assert.equal(sink.health().dropped, 1);
  assert.equal(sink.health().ok, false);
  sub.destroy();
});

test('a server down at start: batches are spooled, then replayed in order once it is back', {
  skip,
}, async () => {
  await server.kill();
  const sink = create(sinkOptions('s2'), { logger });
  for (let k = 0; k < 20; k++) sink.write(batchAt('rig', T0 + k * 1000, k, 3));
  await sink.flush();
  const h = sink.health();
  assert.equal(h.ok, false);
  assert.equal(h.spooled + h.queued, 20);
  assert.notEqual(h.lastError, null);
  await server.restart();
  await connectClient();
  await settled(sink);
  sink.write(batchAt('rig', T0 + 20_000, 20, 3));
  await settled(sink);
  assert.deepEqual(await streamed('s2', 'rig'), expected(21, 3));
  assert.equal(sink.stats().duplicates, 0);
  await sink.close();
});

test('a paused (slow) server never blocks write(); everything lands once when it resumes', {
  skip,
}, async () => {
  const sink = create(sinkOptions('s3', { command_timeout_ms: 50 }), { logger });
  await waitUntil(() => sink.health().ok, 'connected');
  await client.sendCommand(['CLIENT', 'PAUSE', '60000', 'WRITE']);
  let k = 0;
  // The writer keeps its pace while the server is paused: the event loop stays free between writes.
  for (; k < 30; k++) {
    sink.write(batchAt('rig', T0 + k * 1000, k, 2));
    await new Promise((r) => setImmediate(r));
  }
  await waitUntil(() => !sink.health().ok, 'the sink notices the stall');
  for (; k < 40; k++) sink.write(batchAt('rig', T0 + k * 1000, k, 2));
  await sink.flush();
  assert.ok(sink.health().spooled > 0);
  assert.equal(await client.xLen('s3:snapshots:rig'), 0);
  await client.sendCommand(['CLIENT', 'UNPAUSE']);
  await settled(sink);
  assert.deepEqual(await streamed('s3', 'rig'), expected(40, 2));
  assert.equal(JSON.parse((await client.get('s3:last:rig')) ?? '').ts, T0 + 39_000);
  await sink.close();
});

test('a full queue spills to the spool instead of dropping; order is kept', { skip }, async () => {
  const sink = create(sinkOptions('s4', { queue_max_bytes: 4096, pipeline_max_batches: 2 }), { logger });
  await waitUntil(() => sink.health().ok, 'connected');
  for (let k = 0; k < 60; k++) sink.write(batchAt('rig', T0 + k * 1000, k, 2));
  assert.ok(sink.stats().spooledTotal > 0);
  await settled(sink);
  assert.deepEqual(await streamed('s4', 'rig'), expected(60, 2));
  assert.equal(sink.health().dropped, 0);
  await sink.close();
});

test('a spool left by an earlier run is replayed first; replaying it twice adds nothing', {
  skip,
}, async () => {
  await server.kill();
  const first = sinkOptions('s5');
  const down = create(first, { logger });
  for (let k = 0; k < 10; k++) down.write(batchAt('rig', T0 + k * 1000, k, 2));
  await down.close();
  assert.equal(down.health().spooled, 10);
  const copy = join(root, `copy${dirs++}`);
  cpSync(first.spool_dir as string, copy, { recursive: true });
  await server.restart();
  await connectClient();
  const up = create(first, { logger });
  up.write(batchAt('rig', T0 + 10_000, 10, 2));
  await settled(up);
  assert.deepEqual(await streamed('s5', 'rig'), expected(11, 2));
  await up.close();
  const again = create({ ...first, spool_dir: copy }, { logger });
  await settled(again);
  assert.equal(again.stats().duplicates, 20);
  assert.equal(again.stats().entriesAdded, 0);
  assert.deepEqual(await streamed('s5', 'rig'), expected(11, 2));
  assert.equal(JSON.parse((await client.get('s5:last:rig')) ?? '').ts, T0 + 10_000);
  await again.close();
});

test('advice and actions land under their keys', { skip }, async () => {
  const sink = create(sinkOptions('s6'), { logger });
  const raise = adviceRecord('r', T0, 'lower_power_limit', 'gpu0', 'active', T0);
  sink.writeControl(raise);
  sink.writeControl({ kind: 'action', rig: 'r', ts: T0 + 1, payload: { applied: true } });
  await settled(sink);
  const held = await client.hGet('s6:advice:r', raise.payload.id as string);
  assert.deepEqual(JSON.parse(held ?? ''), raise);
  const actions = (await client.xRange('s6:actions:r', '-', '+')) ?? [];
  assert.equal(actions.length, 1);
  assert.equal(JSON.parse(actions[0].message.record).payload.applied, true);
  await sink.close();
});

test('close() while the server is down keeps everything in the spool and returns promptly', {
  skip,
}, async () => {
  const options = sinkOptions('s7');
  const sink = create(options, { logger });
  await waitUntil(() => sink.health().ok, 'connected');
  await server.kill();
  for (let k = 0; k < 5; k++) sink.write(batchAt('rig', T0 + k * 1000, k, 1));
  await sink.close();
  assert.equal(sink.health().spooled, 5);
  await server.restart();
  await connectClient();
  const next = create(options, { logger });
  await settled(next);
  assert.deepEqual(await streamed('s7', 'rig'), expected(5, 1));
  await next.close();
});
