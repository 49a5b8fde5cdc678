// Tests of the pure half of the Valkey sink: stream ids (monotone, deterministic), the script argument
// layout of batches and control records, the ts-first JSON, and the spool line round trip.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import {
  controlJson,
  encodeBatch,
  encodeControl,
  entryCount,
  fromSpoolLine,
  keyNames,
  StreamIds,
  stateJson,
  toSpoolLine,
} from './encode.ts';
import { commandFor } from './script.ts';
import { adviceRecord } from './test-kit.ts';

const T0 = 1_700_000_000_000;

test('stream ids grow per stream; a repeated or earlier ms continues the sequence', () => {
  const ids = new StreamIds();
  assert.deepEqual(
    [ids.next('a', T0), ids.next('a', T0), ids.next('b', T0), ids.next('a', T0 + 5), ids.next('a', T0 + 1)],
    [`${T0}-0`, `${T0}-1`, `${T0}-0`, `${T0 + 5}-0`, `${T0 + 5}-1`],
  );
  assert.equal(ids.next('c', 12.7), '12-0');
  assert.equal(ids.next('d', -3), '0-0');
});

test('the same batches in the same order get the same ids (what makes a resend a no-op)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 50 })), { maxLength: 40 }),
      (calls) => {
        const a = new StreamIds();
        const b = new StreamIds();
        const idsA = calls.map(([s, ms]) => a.next(s, ms));
        const idsB = calls.map(([s, ms]) => b.next(s, ms));
        assert.deepEqual(idsA, idsB);
        for (const s of ['x', 'y']) {
          const mine = idsA.filter((_, i) => calls[i][0] === s).map((id) => id.split('-').map(Number));
          for (let i = 1; i < mine.length; i++)
            assert.ok(
              mine[i][0] > mine[i - 1][0] ||
                (mine[i][0] === mine[i - 1][0] && mine[i][1] === mine[i - 1][1] + 1),
            );
        }
      },
    ),
    { seed: 7 },
  );
});

test('a batch: set-if-newer of last, then one entry per snapshot and per event', () => {
  const batch = batchAt('rig-1', T0, 49, 2);
  const item = encodeBatch(batch, 'tel', 500, new StreamIds());
  const k = keyNames('tel', 'rig-1');
  assert.deepEqual(item.keys, [k.last, k.snapshots, k.events, k.lastVersion]);
  assert.deepEqual(item.argv.slice(0, 5), [
    '2',
    String(T0),
    stateJson(batch.state),
    'tel:score:rig-1',
    '500',
  ]);
  assert.deepEqual(item.argv.slice(5, 10), ['2', `${T0}-0`, '', '', '3']);
  assert.deepEqual(item.argv.slice(10, 16), [
    'ts',
    String(T0),
    'device',
    'gpu0',
    'snapshot',
    JSON.stringify(batch.snapshots[0]),
  ]);
  assert.equal(item.argv[16 + 1], `${T0}-1`);
  const ev = item.argv.slice(27);
  assert.deepEqual(ev.slice(0, 5), ['3', `${T0}-0`, '', '', '4']);
  assert.deepEqual(ev.slice(5, 11), ['ts', String(T0), 'device', 'gpu0', 'class', 'meso']);
  assert.equal(entryCount(item), 3);
  assert.ok(item.bytes > item.argv[2].length);
  assert.equal(commandFor(item, false).length, 2 + 1 + item.keys.length + item.argv.length);
});

test('state and control JSON start with ts and carry the same values', () => {
  const batch = batchAt('r', T0, 3, 3);
  const json = stateJson(batch.state);
  assert.ok(json.startsWith(`{"ts":${T0},`));
  assert.deepEqual(JSON.parse(json), batch.state);
  const s = batch.state;
  assert.equal(json, JSON.stringify({ ts: s.ts, schema: s.schema, rig: s.rig, devices: s.devices }));
  assert.equal(stateJson({ ...s, rig: 'a "quoted"\\rig', devices: [] }).includes('"a \\"quoted\\"'), true);
  const rec = { kind: 'advice', rig: 'r', ts: T0, payload: { set_power_w: 200 } } as const;
  assert.ok(controlJson(rec).startsWith(`{"ts":${T0},`));
  assert.deepEqual(JSON.parse(controlJson(rec)), rec);
});

test("advice is one record for the rig's active hash; an action is a published stream entry", () => {
  const ids = new StreamIds();
  const raise = adviceRecord('r', T0, 'check_fan', 'gpu0', 'active', T0);
  const advice = encodeControl(raise, 'p', 100, ids);
  assert.deepEqual(advice.keys, ['p:advice:r', 'p:advice-version:r', 'p:advice-expiry:r']);
  const id = `check_fan:r:gpu0:${T0}`;
  const expiry = String(T0 + 900_000);
  assert.deepEqual(advice.argv, [
    '3',
    String(T0),
    controlJson(raise),
    'p:advice:r',
    '0',
    id,
    'active',
    expiry,
  ]);
  assert.equal(entryCount(advice), 0);
  const clear = encodeControl({ ...raise, payload: { ...raise.payload, state: 'cleared' } }, 'p', 100, ids);
  assert.deepEqual(clear.argv.slice(1, 2).concat(clear.argv.slice(5)), [`${T0}:1`, id, 'cleared', expiry]);
  const plain = encodeControl({ kind: 'advice', rig: 'r', ts: T0, payload: { a: 1 } }, 'p', 100, ids);
  assert.deepEqual(plain.argv.slice(5), ['', 'active', '']);
  const rec = { kind: 'action', rig: 'r', ts: T0, payload: { b: 2 } } as const;
  const action = encodeControl(rec, 'p', 100, ids);
  assert.deepEqual(action.keys, ['p:actions:r']);
  assert.equal(action.argv[0], '0');
  assert.deepEqual(action.argv.slice(5, 10), ['1', `${T0}-0`, 'p:actions:r', controlJson(rec), '3']);
});

test('advice spool lines of the earlier layout become advice items with their version', () => {
  const raise = adviceRecord('rig:a', T0, 'check_fan', 'gpu0', 'active', T0);
  const json = controlJson(raise);
  const keys = ['my.p:advice:rig:a', 'my.p:advice-version:rig:a'];
  const now = encodeControl(raise, 'my.p', 100, new StreamIds());
  const v2 = fromSpoolLine(JSON.stringify([1, keys, ['2', `${T0}:2`, json, keys[0], '100000']]));
  assert.deepEqual(v2?.keys, now.keys);
  assert.deepEqual(v2?.argv, ['3', `${T0}:2`, ...now.argv.slice(2)]);
  const v1 = fromSpoolLine(JSON.stringify([1, keys.slice(0, 1), ['1', String(T0), json, keys[0], '100000']]));
  assert.deepEqual(v1?.argv, now.argv);
  // Unreadable JSON in an advice line is corrupt, never sent as is; a state line is not advice.
  assert.equal(fromSpoolLine(JSON.stringify([1, keys, ['2', String(T0), '{', keys[0], '1']])), null);
  const state = encodeBatch(batchAt('r', T0, 1, 0), 'p', 100, new StreamIds());
  assert.deepEqual(fromSpoolLine(toSpoolLine(state))?.argv, state.argv);
  assert.deepEqual(fromSpoolLine(toSpoolLine(now))?.argv, now.argv);
});

test('value versions: the first of a ts is the ts, later ones of the same ts count up; per key', () => {
  const ids = new StreamIds();
  assert.deepEqual(
    [
      ids.version('a', T0),
      ids.version('a', T0),
      ids.version('b', T0),
      ids.version('a', T0),
      ids.version('a', T0 - 5),
      ids.version('a', T0 + 1),
      ids.version('a', T0 + 1),
      ids.version('c', 12.5),
      ids.version('c', 12.5),
    ],
    [`${T0}`, `${T0}:1`, `${T0}`, `${T0}:2`, `${T0 - 5}`, `${T0 + 1}`, `${T0 + 1}:1`, '12.5', '12.5:1'],
  );
  const batch = batchAt('r', T0, 2, 1);
  const first = encodeBatch(batch, 'p', 100, ids);
  const second = encodeBatch(batch, 'p', 100, ids);
  assert.deepEqual([first.argv[1], second.argv[1]], [String(T0), `${T0}:1`]);
});

test('spool lines round-trip; anything else is null, never a throw', () => {
  const item = encodeBatch(batchAt('r', T0, 1, 2), 'telemetry', 100_000, new StreamIds());
  const back = fromSpoolLine(toSpoolLine(item));
  assert.deepEqual(back?.keys, item.keys);
  assert.deepEqual(back?.argv, item.argv);
  assert.ok(!toSpoolLine(item).includes('\n'));
  for (const bad of ['', '{', '[2,[],[]]', '[1,[1],["1","2","3","4","5"]]', '[1,[],["1"]]', 'null'])
    assert.equal(fromSpoolLine(bad), null, bad);
  fc.assert(
    fc.property(fc.string(), (s) => {
      fromSpoolLine(s);
    }),
    { seed: 3 },
  );
});
