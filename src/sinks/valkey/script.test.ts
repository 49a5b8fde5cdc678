// Tests of the apply script against a real redis-server: what one batch writes, that a resend changes
// nothing (no entry, no publish), that an older value never replaces a newer one, and error isolation.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import {
  hasRedisServer,
  type RedisServer,
  startRedis,
  waitUntil,
} from '../../../test/helpers/redis-server.ts';
import {
  controlJson,
  encodeBatch,
  encodeControl,
  type Item,
  keyNames,
  StreamIds,
  stateJson,
} from './encode.ts';
import { PackedItem } from './packed-item.ts';
import { sendPipeline } from './pipeline.ts';
import { type ApplyResult, isTransientError, parseApplyReply } from './script.ts';
import { adviceRecord } from './test-kit.ts';

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

async function apply(items: readonly Item[]): Promise<ApplyResult[]> {
  const out = await sendPipeline(client as never, items, 5000);
  assert.equal(out.kind, 'replies');
  return (out as unknown as { results: ApplyResult[] }).results;
}

/** Publishes are asynchronous to the subscriber: a PING through the same server orders them. */
async function publishedNow(): Promise<typeof published> {
  const marker = `marker-${markers++}`;
  await client.publish('marker', marker);
  await waitUntil(() => published.some((p) => p.message === marker), 'the marker arrives');
  return published.filter((p) => p.channel !== 'marker');
}

test('one batch: latest value, a publish, snapshot and event entries; a resend is a no-op', {
  skip,
}, async () => {
  const ids = new StreamIds();
  const batch = batchAt('a', T0, 49, 3);
  const item = encodeBatch(batch, 't1', 1000, ids);
  const k = keyNames('t1', 'a');
  assert.deepEqual(await apply([item]), [{ set: true, added: 4, duplicates: 0, error: null }]);
  assert.equal(await client.get(k.last), stateJson(batch.state));
  const snaps = (await client.xRange(k.snapshots, '-', '+')) ?? [];
  assert.deepEqual(
    snaps.map((e) => [e.id, e.message.device]),
    [
      [`${T0}-0`, 'gpu0'],
      [`${T0}-1`, 'gpu1'],
      [`${T0}-2`, 'gpu2'],
    ],
  );
  assert.deepEqual(JSON.parse(snaps[1].message.snapshot), batch.snapshots[1]);
  const events = (await client.xRange(k.events, '-', '+')) ?? [];
  assert.equal(events.length, 1);
  assert.equal(events[0].message.class, 'meso');
  assert.deepEqual(await apply([item, item]), [
    { set: false, added: 0, duplicates: 4, error: null },
    { set: false, added: 0, duplicates: 4, error: null },
  ]);
  assert.equal(await client.xLen(k.snapshots), 3);
  const pubs = (await publishedNow()).filter((p) => p.channel === 't1:score:a');
  assert.deepEqual(
    pubs.map((p) => p.message),
    [stateJson(batch.state)],
  );
});

test('an older state never replaces a newer one; a foreign value is replaced', { skip }, async () => {
  const k = keyNames('t2', 'r');
  const newer = encodeBatch(batchAt('r', T0 + 1000, 1, 1), 't2', 1000, new StreamIds());
  const older = encodeBatch(batchAt('r', T0, 0, 1), 't2', 1000, new StreamIds());
  await client.set(k.last, 'not json');
  const [r1, r2] = await apply([newer, older]);
  assert.equal(r1.set, true);
  assert.deepEqual(r2, { set: false, added: 0, duplicates: 1, error: null });
  assert.equal(JSON.parse((await client.get(k.last)) ?? '').ts, T0 + 1000);
});

test('states of one ts (a rig read by several sources): the last wins, resends change nothing', {
  skip,
}, async () => {
  const ids = new StreamIds();
  const k = keyNames('t6', 'r');
  const [a, b, c] = [5, 6, 7].map((n) => batchAt('r', T0, n, 1));
  const [ia, ib, ic] = [a, b, c].map((x) => encodeBatch(x, 't6', 1000, ids));
  const again = encodeBatch(c, 't6', 1000, ids);
  const next = encodeBatch(batchAt('r', T0 + 1000, 8, 1), 't6', 1000, ids);
  const after = encodeBatch(batchAt('r', T0 + 1000, 9, 1), 't6', 1000, ids);
  const set = async (items: Item[]) => (await apply(items)).map((r) => r.set);
  assert.deepEqual(await set([ia, ib]), [true, true]);
  assert.equal(await client.get(k.last), stateJson(b.state));
  // A resend of the first or second state, then the third: only the third changes anything.
  assert.deepEqual(await set([ia, ib, ic, ib, ia]), [false, false, true, false, false]);
  assert.equal(await client.get(k.last), stateJson(c.state));
  // The same state once more (the shutdown's last batch): not set, not published again.
  assert.deepEqual(await set([again]), [false]);
  // A newer ts wins; the version held for the old ts does not hold back the new ts's later states.
  assert.deepEqual(await set([next, ic, after, next]), [true, false, true, false]);
  assert.equal(JSON.parse((await client.get(k.last)) ?? '').devices[0].samples, 10);
  const pubs = (await publishedNow()).filter((p) => p.channel === 't6:score:r');
  assert.equal(pubs.length, 5, 'one publish per state stored');
  // A spool line of an earlier version (mode '1', plain ts, no version key) is still applied.
  const legacy = { ...ia, keys: ia.keys.slice(0, -1), argv: ['1', ...ia.argv.slice(1)] };
  const k7 = keyNames('t7', 'r');
  const legacyNew = { keys: [k7.last], argv: ['1', String(T0), stateJson(a.state), '', '1000'], bytes: 1 };
  assert.deepEqual(await set([legacy, legacyNew, legacyNew]), [false, true, false]);
});

test('a key of the wrong type is reported; the other writes of the batch still happen', {
  skip,
}, async () => {
  const k = keyNames('t3', 'r');
  await client.set(k.snapshots, 'a string');
  const [r] = await apply([encodeBatch(batchAt('r', T0, 49, 2), 't3', 1000, new StreamIds())]);
  assert.equal(r.set, true);
  assert.equal(r.added, 1);
  assert.match(r.error ?? '', /^WRONGTYPE/);
  assert.equal(isTransientError(r.error ?? ''), false);
  assert.equal(await client.xLen(k.events), 1);
});

test('advice is applied and published once; actions are appended and published once', { skip }, async () => {
  const ids = new StreamIds();
  const raise = adviceRecord('r', T0, 'check_fan', 'gpu0', 'active', T0);
  const advice = encodeControl(raise, 't4', 100, ids);
  const action = encodeControl({ kind: 'action', rig: 'r', ts: T0, payload: { b: 2 } }, 't4', 100, ids);
  const results = await apply([advice, action, advice, action]);
  assert.deepEqual(
    results.map((r) => [r.set, r.added, r.duplicates]),
    [
      [true, 0, 0],
      [false, 1, 0],
      [false, 0, 0],
      [false, 0, 1],
    ],
  );
  const k = keyNames('t4', 'r');
  assert.deepEqual(await client.hGetAll(k.advice), { [`check_fan:r:gpu0:${T0}`]: controlJson(raise) });
  const entries = (await client.xRange(k.actions, '-', '+')) ?? [];
  assert.equal(entries.length, 1);
  assert.equal(entries[0].message.kind, 'action');
  const pubs = (await publishedNow()).filter((p) => p.channel.startsWith('t4:'));
  assert.deepEqual(
    pubs.map((p) => p.channel),
    ['t4:advice:r', 't4:actions:r'],
  );
});

test('the script survives a flushed script cache (each pipeline starts with EVAL)', { skip }, async () => {
  const ids = new StreamIds();
  await apply([encodeBatch(batchAt('r', T0, 0, 1), 't5', 1000, ids)]);
  await client.scriptFlush();
  const results = await apply([
    encodeBatch(batchAt('r', T0 + 1, 1, 1), 't5', 1000, ids),
    encodeBatch(batchAt('r', T0 + 2, 2, 1), 't5', 1000, ids),
  ]);
  assert.deepEqual(
    results.map((r) => r.added),
    [1, 1],
  );
});

test('packed snapshot entries land as plain ones would: ids, fields, bytes; a resend is a no-op', {
  skip,
}, async () => {
  const base = batchAt('r', T0, 3, 4);
  const devices = ['gpu0', 'grün-é', 'gpu😀', ''];
  const snapshots = base.snapshots.map((s, i) => ({ ...s, device: devices[i], ts: s.ts + i }));
  const batch = { ...base, snapshots };
  const [packedIds, plainIds] = [new StreamIds(), new StreamIds()];
  const written = async (prefix: string) => {
    const k = keyNames(prefix, 'r');
    return { last: await client.get(k.last), entries: await client.xRange(k.snapshots, '-', '+') };
  };
  for (let tick = 0; tick < 2; tick++) {
    const packed = encodeBatch(batch, 'pk', 1000, packedIds);
    const p = encodeBatch(batch, 'pl', 1000, plainIds);
    const plain: Item = { keys: p.keys, argv: [...p.argv], bytes: p.bytes };
    assert.ok(packed instanceof PackedItem);
    assert.deepEqual(await apply([packed]), await apply([plain]));
  }
  const [pk, pl] = [await written('pk'), await written('pl')];
  assert.deepEqual(pk, pl);
  assert.deepEqual(
    (pk.entries ?? []).map((e) => [e.id, e.message.ts, e.message.device, e.message.snapshot]),
    [0, 1].flatMap((tick) =>
      snapshots.map((s, i) => [`${T0}-${4 * tick + i}`, String(s.ts), s.device, JSON.stringify(s)]),
    ),
  );
  const again = encodeBatch(batch, 'pk', 1000, new StreamIds());
  assert.deepEqual(await apply([again]), [{ set: false, added: 0, duplicates: 4, error: null }]);
});

test('replies that are not the script answer parse to null; transient errors are recognised', () => {
  assert.equal(parseApplyReply('OK'), null);
  assert.equal(parseApplyReply([1, 2, 3]), null);
  assert.equal(parseApplyReply(['1', 0, 0, '']), null);
  assert.deepEqual(parseApplyReply([0, 1, 2, '']), { set: false, added: 1, duplicates: 2, error: null });
  assert.ok(isTransientError("OOM command not allowed when used memory > 'maxmemory'."));
  assert.ok(isTransientError('LOADING Redis is loading the dataset in memory'));
  assert.ok(!isTransientError('ERR unknown command'));
});
