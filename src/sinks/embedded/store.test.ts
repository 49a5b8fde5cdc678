// Tests of the embedded store: latest state per rig (newest wins), bounded control history, pub/sub
// with isolation of throwing listeners, unsubscribe semantics, close, and the options/example.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import { isRigtuneError } from '../../core/errors.ts';
import type { ControlRecord, RigState } from '../../core/sink.ts';
import { create, EmbeddedStore, kind, optionsSchema } from './index.ts';

const T0 = 1_700_000_000_000;
const advice = (rig: string, ts: number, n: number): ControlRecord => ({
  kind: 'advice',
  rig,
  ts,
  payload: { n },
});

test('latest state per rig, rigs sorted, null for an unknown rig', () => {
  const store = create();
  assert.equal(store.latest('r1'), null);
  store.write(batchAt('r2', T0, 0, 2));
  store.write(batchAt('r1', T0, 0, 1));
  store.write(batchAt('r1', T0 + 1000, 1, 1));
  assert.deepEqual(store.rigs(), ['r1', 'r2']);
  assert.equal(store.latest('r1')?.ts, T0 + 1000);
  assert.equal(store.latest('r2')?.devices.length, 2);
  assert.deepEqual(store.health(), { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null });
});

test('an older state does not replace a newer one; an equal ts does', () => {
  const store = create();
  const seen: number[] = [];
  store.subscribe((s) => seen.push(s.ts));
  store.write(batchAt('r', T0 + 2000, 2, 1));
  store.write(batchAt('r', T0 + 1000, 1, 1));
  store.write(batchAt('r', T0 + 2000, 3, 1));
  assert.deepEqual(seen, [T0 + 2000, T0 + 2000]);
  assert.equal(store.latest('r')?.devices[0].samples, 4);
  assert.equal(store.stats().stale, 1);
});

test('control records are kept per rig, newest last, bounded', () => {
  const store = create({ control_history: 3 });
  for (let i = 0; i < 5; i++) store.writeControl(advice('r', T0 + i, i));
  store.writeControl({ kind: 'action', rig: 'other', ts: T0, payload: {} });
  assert.deepEqual(
    store.control('r').map((c) => c.payload.n),
    [2, 3, 4],
  );
  assert.equal(store.control('other').length, 1);
  assert.deepEqual(store.control('none'), []);
  // The returned array is a copy.
  (store.control('r') as ControlRecord[]).pop();
  assert.equal(store.control('r').length, 3);
});

test('a throwing listener does not stop the others, is counted and logged once per window', () => {
  const logs: object[] = [];
  let now = T0;
  const store = create({}, { logger: { warn: (o) => logs.push(o) }, clock: { nowMs: () => now } });
  const a: number[] = [];
  const b: number[] = [];
  store.subscribe((s) => a.push(s.ts));
  store.subscribe(() => {
    throw new Error('boom');
  });
  store.subscribe((s) => b.push(s.ts));
  store.write(batchAt('r', T0, 0, 1));
  store.write(batchAt('r', T0 + 1, 1, 1));
  now += 60_000;
  store.write(batchAt('r', T0 + 2, 2, 1));
  assert.deepEqual(a, [T0, T0 + 1, T0 + 2]);
  assert.deepEqual(b, a);
  assert.equal(store.stats().listenerErrors, 3);
  assert.equal(logs.length, 2);
  assert.equal((logs[1] as { suppressed: number }).suppressed, 1);
  assert.match(store.health().lastError ?? '', /boom/);
  assert.equal(store.health().ok, true);
});

test('unsubscribe stops delivery, is idempotent, and works from inside a listener', () => {
  const store = create();
  const got: string[] = [];
  let offB: () => void = () => {};
  const offA = store.subscribe(() => {
    got.push('a');
    offB();
  });
  offB = store.subscribe(() => got.push('b'));
  const same = (s: RigState) => got.push(`c${s.ts - T0}`);
  const offC1 = store.subscribe(same);
  store.subscribe(same);
  store.write(batchAt('r', T0, 0, 1));
  assert.deepEqual(got, ['a', 'c0', 'c0']);
  offA();
  offA();
  offC1();
  store.write(batchAt('r', T0 + 1, 1, 1));
  assert.deepEqual(got, ['a', 'c0', 'c0', 'c1']);
  assert.equal(store.listenerCount, 1);
});

test('control listeners get advice and actions', () => {
  const store = create();
  const got: ControlRecord[] = [];
  const off = store.subscribeControl((r) => got.push(r));
  store.writeControl(advice('r', T0, 1));
  off();
  store.writeControl(advice('r', T0 + 1, 2));
  assert.deepEqual(
    got.map((r) => r.payload.n),
    [1],
  );
});

test('active advice: the newest record of each episode, in raise order, until cleared; beyond the history bound', () => {
  const store = create({ control_history: 2 });
  const ep = (id: string, ts: number, state: 'active' | 'cleared', rig = 'r'): ControlRecord => ({
    kind: 'advice',
    rig,
    ts,
    payload: { id, state, severity: ts },
  });
  store.writeControl(ep('fan:r:gpu0:1', T0, 'active'));
  store.writeControl(ep('pool:r:*:2', T0 + 1, 'active'));
  store.writeControl(ep('fan:r:gpu0:1', T0 + 2, 'active')); // an update keeps its place
  store.writeControl(ep('x:other:gpu0:3', T0 + 3, 'active', 'other'));
  store.writeControl(advice('r', T0 + 4, 9)); // no id: history only
  store.writeControl({ kind: 'action', rig: 'r', ts: T0 + 5, payload: { id: 'a1', state: 'active' } });
  assert.deepEqual(
    store.activeAdvice('r').map((r) => [r.payload.id, r.ts]),
    [
      ['fan:r:gpu0:1', T0 + 2],
      ['pool:r:*:2', T0 + 1],
    ],
  );
  assert.equal(store.control('r').length, 2, 'the history bound does not limit active advice');
  store.writeControl(ep('fan:r:gpu0:1', T0 + 6, 'cleared'));
  store.writeControl(ep('never:r:*:0', T0 + 7, 'cleared'));
  assert.deepEqual(
    store.activeAdvice('r').map((r) => r.payload.id),
    ['pool:r:*:2'],
  );
  store.writeControl(ep('pool:r:*:2', T0 + 8, 'cleared'));
  assert.deepEqual(store.activeAdvice('r'), []);
  assert.equal(store.activeAdvice('other').length, 1);
  assert.deepEqual(store.activeAdvice('none'), []);
});

test('a listener sees the new state through the reader', () => {
  const store = create();
  let seen: number | undefined;
  store.subscribe((s) => {
    seen = store.latest(s.rig)?.ts;
  });
  store.write(batchAt('r', T0 + 5, 0, 1));
  assert.equal(seen, T0 + 5);
});

test('close drops listeners and counts later writes; reads still work; idempotent', async () => {
  const store = create();
  let calls = 0;
  store.subscribe(() => calls++);
  store.write(batchAt('r', T0, 0, 1));
  await store.flush();
  await store.close();
  await store.close();
  store.write(batchAt('r', T0 + 1, 1, 1));
  store.writeControl(advice('r', T0, 1));
  assert.equal(calls, 1);
  assert.equal(store.latest('r')?.ts, T0);
  assert.equal(store.health().dropped, 2);
  assert.equal(store.listenerCount, 0);
});

test('example.yaml validates; unknown keys and bad values are RT_CONFIG_INVALID', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  assert.deepEqual(optionsSchema.parse(parse(text)), { control_history: 200 });
  assert.deepEqual(optionsSchema.parse({}), { control_history: 200 });
  assert.equal(kind, 'embedded');
  assert.ok(create() instanceof EmbeddedStore);
  for (const [input, field] of [
    [{ history: 5 }, 'embedded'],
    [{ control_history: 0 }, 'embedded.control_history'],
  ] as const) {
    assert.throws(
      () => create(input as never),
      (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && err.where.field === field,
    );
  }
});
