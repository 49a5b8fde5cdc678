// Tests of the journal's replay state: action life cycles, which actions stay in flight, last-known-good
// per purpose, events that do not fit, and compaction keeping exactly what a restart needs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLine, encodeLine, type IntendedAction, type JournalLine } from './events.ts';
import { JournalState } from './state.ts';

const T0 = 1_700_000_000_000;
const base: IntendedAction = {
  ts: T0,
  rig: 'r',
  device: 'gpu0',
  kind: 'power_limit_w',
  from: 350,
  to: 325,
  reason: 'step',
  purpose: 'tune',
};

function intend(state: JournalState, over: Partial<IntendedAction> = {}): string {
  const id = state.takeId();
  assert.equal(state.apply({ type: 'intended', id, ...base, ...over }), null);
  return id;
}

test('a validated tune action becomes last-known-good and leaves flight', () => {
  const s = new JournalState();
  const id = intend(s);
  assert.equal(s.inFlight('r')[0].status, 'intended');
  s.apply({ type: 'applied', id, ts: T0 + 1 });
  s.apply({ type: 'verified', id, ts: T0 + 2, readback: 325 });
  assert.equal(s.inFlight()[0].status, 'verified');
  assert.equal(s.apply({ type: 'validated', id, ts: T0 + 3 }), null);
  assert.deepEqual(s.inFlight(), []);
  assert.deepEqual(s.lastKnownGood('r'), [
    { rig: 'r', device: 'gpu0', kind: 'power_limit_w', value: 325, id, ts: T0 + 3 },
  ]);
  assert.deepEqual(s.lastKnownGood('other'), []);
});

test('failed stays in flight until rolled back; a rollback keeps the old last-known-good', () => {
  const s = new JournalState();
  const a = intend(s);
  s.apply({ type: 'applied', id: a, ts: T0 });
  s.apply({ type: 'verified', id: a, ts: T0, readback: 325 });
  s.apply({ type: 'validated', id: a, ts: T0 });
  const b = intend(s, { from: 325, to: 300 });
  s.apply({ type: 'applied', id: b, ts: T0 });
  s.apply({ type: 'failed', id: b, ts: T0, phase: 'verify', error: 'read back 325' });
  assert.equal(s.inFlight()[0].failure?.phase, 'verify');
  s.apply({ type: 'failed', id: b, ts: T0, phase: 'rollback', error: 'unreachable' });
  assert.equal(s.inFlight().length, 1);
  s.apply({ type: 'rolled_back', id: b, ts: T0 + 5, reason: 'not applied' });
  assert.deepEqual(s.inFlight(), []);
  assert.equal(s.action(b)?.rollbackReason, 'not applied');
  assert.equal(s.lastKnownGood()[0].value, 325);
});

test('a validated restore does not become last-known-good', () => {
  const s = new JournalState();
  const id = intend(s, { purpose: 'restore', from: 300, to: null });
  s.apply({ type: 'applied', id, ts: T0 });
  s.apply({ type: 'verified', id, ts: T0, readback: 350 });
  s.apply({ type: 'validated', id, ts: T0 });
  assert.deepEqual(s.lastKnownGood(), []);
});

test('events that do not fit are reported and ignored', () => {
  const s = new JournalState();
  assert.match(s.apply({ type: 'applied', id: 'a9', ts: T0 }) ?? '', /unknown action a9/);
  const id = intend(s);
  assert.match(s.apply({ type: 'validated', id, ts: T0 }) ?? '', /validated after intended/);
  assert.match(s.check({ type: 'verified', id, ts: T0, readback: 1 }) ?? '', /cannot follow/);
  assert.match(s.apply({ type: 'intended', id, ...base }) ?? '', /intended twice/);
  s.apply({ type: 'rolled_back', id, ts: T0, reason: 'x' });
  assert.match(s.check({ type: 'applied', id, ts: T0 }) ?? '', /rolled_back/);
  assert.equal(s.inFlight().length, 0);
});

test('ids continue after the highest seen and after the header', () => {
  const s = new JournalState();
  s.apply({ type: 'intended', id: 'a41', ...base });
  assert.equal(s.takeId(), 'a42');
  s.apply({ type: 'header', version: 1, next_seq: 100 });
  assert.equal(s.takeId(), 'a100');
});

test('compaction keeps in-flight and recent actions and every last-known-good, drops old finished ones', () => {
  const s = new JournalState();
  const old = intend(s, { ts: T0 });
  s.apply({ type: 'rolled_back', id: old, ts: T0 + 1, reason: 'x' });
  const good = intend(s, { ts: T0 + 2, device: 'gpu1' });
  s.apply({ type: 'applied', id: good, ts: T0 + 3 });
  s.apply({ type: 'verified', id: good, ts: T0 + 3, readback: 325 });
  s.apply({ type: 'validated', id: good, ts: T0 + 4 });
  const flying = intend(s, { ts: T0 + 5 });
  s.apply({ type: 'applied', id: flying, ts: T0 + 6 });
  const recent = intend(s, { ts: T0 + 9_000, device: 'gpu2' });
  s.apply({ type: 'rolled_back', id: recent, ts: T0 + 9_001, reason: 'y' });
  const lines = s.compact(5_000);
  assert.deepEqual(
    lines.map((l) => ('id' in l ? `${l.type}:${l.id}` : l.type)),
    [
      'header',
      `lkg:${good}`,
      `intended:${flying}`,
      `applied:${flying}`,
      `intended:${recent}`,
      `rolled_back:${recent}`,
    ],
  );
  const again = new JournalState();
  for (const l of lines) assert.equal(again.apply(decodeLine(encodeLine(l)) as JournalLine), null);
  assert.deepEqual(again.inFlight(), s.inFlight());
  assert.deepEqual(again.lastKnownGood(), s.lastKnownGood());
  assert.equal(again.takeId(), s.takeId());
});

test('decodeLine rejects what is not a journal line, naming the field', () => {
  assert.equal(decodeLine('{"type":"applied","id":"a1"'), 'not JSON');
  assert.match(decodeLine('{"type":"applied","id":"a1"}') as string, /^ts: /);
  assert.match(decodeLine('{"type":"nope"}') as string, /type/);
  assert.match(
    decodeLine(JSON.stringify({ type: 'intended', id: 'a1', ...base, kind: 'volts' })) as string,
    /^kind: /,
  );
  assert.match(decodeLine(JSON.stringify({ type: 'applied', id: 'a1', ts: T0, x: 1 })) as string, /x/);
  assert.deepEqual(decodeLine(JSON.stringify({ type: 'applied', id: 'a1', ts: T0 })), {
    type: 'applied',
    id: 'a1',
    ts: T0,
  });
});
