// Tests of the rig's active advice set against a real redis-server: raises, updates and clears kept by
// episode id; resends and replays change nothing; expired episodes pruned; the earlier layout converted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import {
  hasRedisServer,
  type RedisServer,
  startRedis,
  waitUntil,
} from '../../../test/helpers/redis-server.ts';
import { controlJson, encodeControl, fromSpoolLine, type Item, keyNames, StreamIds } from './encode.ts';
import { sendPipeline } from './pipeline.ts';
import type { ApplyResult } from './script.ts';
import { adviceRecord as rec } from './test-kit.ts';

const T0 = 1_700_000_000_000;
const skip = hasRedisServer() ? false : 'redis-server is not installed';
let server: RedisServer;
let client: ReturnType<typeof createClient>;
let sub: ReturnType<typeof createClient>;
const published: Array<{ channel: string; message: string }> = [];
let markers = 0;

before(async () => {
  if (skip) return;
  server = await startRedis();
  client = createClient({ url: server.url });
  await client.connect();
  sub = client.duplicate();
  await sub.connect();
  await sub.pSubscribe('*', (message, channel) => published.push({ channel, message }));
});

after(async () => {
  if (skip) return;
  client.destroy();
  sub.destroy();
  await server.stop();
});

async function apply(items: readonly Item[]): Promise<boolean[]> {
  const out = await sendPipeline(client as never, items, 5000);
  assert.equal(out.kind, 'replies');
  const results = (out as unknown as { results: ApplyResult[] }).results;
  for (const r of results) assert.equal(r.error, null);
  return results.map((r) => r.set);
}

/** Messages published on `channel` so far (a marker through the same server orders them). */
async function heard(channel: string): Promise<string[]> {
  const marker = `marker-${markers++}`;
  await client.publish('marker', marker);
  await waitUntil(() => published.some((p) => p.message === marker), 'the marker arrives');
  return published.filter((p) => p.channel === channel).map((p) => p.message);
}

/** The active set of `rig`: id → record JSON. */
const active = (prefix: string, rig: string) => client.hGetAll(keyNames(prefix, rig).advice);

/** A fan failure on gpu0: four kinds raised in one tick, one updated, then one cleared. */
function fanFailure(rig: string) {
  const kinds = ['check_fan', 'raise_fan', 'lower_power_limit', 'lower_core_clock'];
  const raised = kinds.map((kind) => rec(rig, T0, kind, 'gpu0', 'active', T0));
  const update = rec(rig, T0 + 5000, 'raise_fan', 'gpu0', 'active', T0, { severity: 'critical' });
  const clear = rec(rig, T0 + 9000, 'lower_core_clock', 'gpu0', 'cleared', T0);
  return { raised, update, clear, all: [...raised, update, clear] };
}

test('several advice raised in one tick are all present; an update replaces; a clear removes one', {
  skip,
}, async () => {
  const ids = new StreamIds();
  const f = fanFailure('r');
  const items = f.all.map((r) => encodeControl(r, 'a1', 100, ids));
  assert.deepEqual(await apply(items.slice(0, 4)), [true, true, true, true]);
  const four = await active('a1', 'r');
  assert.deepEqual(Object.keys(four).sort(), f.raised.map((r) => r.payload.id as string).sort());
  for (const r of f.raised) assert.equal(four[r.payload.id as string], controlJson(r));
  assert.deepEqual(await apply(items.slice(4)), [true, true]);
  const three = await active('a1', 'r');
  assert.deepEqual(Object.values(three).sort(), [f.raised[0], f.update, f.raised[2]].map(controlJson).sort());
  assert.equal(await client.get(keyNames('a1', 'r').adviceVersion), String(T0 + 9000));
  // Every record published once, in order.
  assert.deepEqual(await heard('a1:advice:r'), f.all.map(controlJson));
});

test('resending or replaying the records changes nothing; an older one never resurrects a clear', {
  skip,
}, async () => {
  const ids = new StreamIds();
  const f = fanFailure('r');
  const items = f.all.map((r) => encodeControl(r, 'a2', 100, ids));
  await apply(items);
  const before = await active('a2', 'r');
  // The whole sequence twice more (a spool replayed twice), then the raise of the cleared advice alone.
  assert.deepEqual(await apply([...items, ...items]), new Array(12).fill(false));
  assert.deepEqual(await apply([items[3]]), [false]);
  assert.deepEqual(await active('a2', 'r'), before);
  assert.equal(before[f.clear.payload.id as string], undefined);
  assert.equal((await heard('a2:advice:r')).length, f.all.length, 'no publish for a replay');
});

test('advice of different rigs is independent', { skip }, async () => {
  const ids = new StreamIds();
  const a = fanFailure('ra');
  const b = rec('rb', T0 - 60_000, 'check_pool', '*', 'active', T0 - 60_000);
  // rb's record is older than every ra record, yet applies: versions are per rig.
  const items = [...a.all, b].map((r) => encodeControl(r, 'a3', 100, ids));
  assert.deepEqual(await apply(items), [true, true, true, true, true, true, true]);
  assert.equal(Object.keys(await active('a3', 'ra')).length, 3);
  assert.deepEqual(Object.values(await active('a3', 'rb')), [controlJson(b)]);
  assert.deepEqual(await heard('a3:advice:rb'), [controlJson(b)]);
});

test('an episode past its ttl is dropped by a later record of the rig; advice without an id is only published', {
  skip,
}, async () => {
  const ids = new StreamIds();
  const old = rec('r', T0, 'check_fan', 'gpu0', 'active', T0, { ttl_ms: 60_000 });
  const other = rec('r', T0 + 1000, 'check_pool', '*', 'active', T0 + 1000, { ttl_ms: 60_000 });
  const later = rec('r', T0 + 60_000, 'inspect_device', 'gpu1', 'active', T0 + 60_000);
  const plain = { kind: 'advice', rig: 'r', ts: T0 + 60_500, payload: { note: 'no id' } } as const;
  await apply([old, other, later, plain].map((r) => encodeControl(r, 'a4', 100, ids)));
  const left = await active('a4', 'r');
  assert.deepEqual(Object.keys(left).sort(), [other, later].map((r) => r.payload.id as string).sort());
  assert.deepEqual(
    Object.keys(await client.hGetAll(keyNames('a4', 'r').adviceExpiry)).sort(),
    Object.keys(left).sort(),
  );
  assert.equal((await heard('a4:advice:r')).at(-1), controlJson(plain));
});

test('the earlier layout: a held string is converted keeping its version; old spool lines replay', {
  skip,
}, async () => {
  const k = keyNames('a5', 'r');
  const f = fanFailure('r');
  // The previous version left the newest record (the fourth raise, version T0:3) as a string.
  await client.set(k.advice, controlJson(f.raised[3]));
  await client.set(k.adviceVersion, `${T0}:3`);
  const legacy = (r: (typeof f.all)[number], version: string) =>
    fromSpoolLine(
      JSON.stringify([1, [k.advice, k.adviceVersion], ['2', version, controlJson(r), k.advice, '100']]),
    );
  const oldest = fromSpoolLine(
    JSON.stringify([1, [k.advice], ['1', String(T0), controlJson(f.raised[0]), k.advice, '100']]),
  );
  assert.notEqual(oldest, null);
  // Lines already applied under the earlier layout are skipped; the update and the clear apply.
  const items = [
    oldest,
    legacy(f.raised[3], `${T0}:3`),
    legacy(f.update, String(T0 + 5000)),
    legacy(f.clear, String(T0 + 9000)),
  ];
  assert.deepEqual(await apply(items as Item[]), [false, false, true, true]);
  assert.equal(await client.type(k.advice), 'hash');
  assert.deepEqual(Object.values(await active('a5', 'r')), [controlJson(f.update)]);
  assert.equal(await client.get(k.adviceVersion), String(T0 + 9000));
});

test('a key of the wrong type is reported and nothing is published', { skip }, async () => {
  const k = keyNames('a6', 'r');
  await client.rPush(k.advice, 'x');
  const item = encodeControl(rec('r', T0, 'check_fan', 'gpu0', 'active', T0), 'a6', 100, new StreamIds());
  const out = await sendPipeline(client as never, [item], 5000);
  const [r] = (out as unknown as { results: ApplyResult[] }).results;
  assert.equal(r.set, false);
  assert.match(r.error ?? '', /^WRONGTYPE/);
  assert.equal(await client.exists(k.adviceVersion), 0);
  assert.deepEqual(await heard('a6:advice:r'), []);
});
