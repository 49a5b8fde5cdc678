// Tests of one SSE client stream: states and advice in order, a slow client's held events bounded
// (newest state per rig, newest record per advice episode), heartbeats.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControlRecord } from '../core/sink.ts';
import { emptySnapshot } from '../core/snapshot.ts';
import { readingsOf } from './readings.ts';
import { HEARTBEAT, LatestStateStream, MAX_PENDING_ADVICE, type SseTarget } from './sse.ts';
import { makeState, makeTick, SseParser } from './test-kit.ts';

/** A target that takes `capacity` chunks, then refuses until drained (like a full socket buffer). */
class SlowTarget implements SseTarget {
  readonly chunks: string[] = [];
  capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return this.chunks.length < this.capacity;
  }
}

const stateAt = (rig: string, ts: number) => makeState(rig, [makeTick(rig, 'gpu0', ts)]);
const eventsOf = (t: SlowTarget) =>
  new SseParser().push(t.chunks.join('')).filter((m) => m.event === 'state');

test('a fast client gets every state in order with increasing ids', () => {
  const target = new SlowTarget(Number.POSITIVE_INFINITY);
  const stream = new LatestStateStream(target);
  for (let ts = 1; ts <= 5; ts++) stream.push(stateAt('r1', ts));
  const events = eventsOf(target);
  assert.deepEqual(
    events.map((e) => JSON.parse(e.data as string).ts),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    events.map((e) => e.id),
    ['1', '2', '3', '4', '5'],
  );
  assert.deepEqual(stream.stats(), { sent: 5, dropped: 0, pending: 0, blocked: false });
});

test('a blocked client holds at most one state per rig however many arrive, then gets the newest', () => {
  const target = new SlowTarget(1);
  const stream = new LatestStateStream(target);
  stream.push(stateAt('r1', 0)); // accepted, but the buffer is now full
  for (let ts = 1; ts <= 100_000; ts++) {
    stream.push(stateAt(`r${ts % 3}`, ts));
    assert.ok(stream.stats().pending <= 3);
  }
  assert.equal(target.chunks.length, 1, 'nothing written while blocked');
  assert.deepEqual(stream.stats(), { sent: 1, dropped: 100_000 - 3, pending: 3, blocked: true });
  target.capacity = Number.POSITIVE_INFINITY;
  stream.drain();
  const got = eventsOf(target).map((e) => JSON.parse(e.data as string));
  // The newest of each rig, in the order their newest states arrived.
  assert.deepEqual(
    got.map((s) => [s.rig, s.ts]),
    [
      ['r1', 0],
      ['r2', 99_998],
      ['r0', 99_999],
      ['r1', 100_000],
    ],
  );
  assert.deepEqual(stream.stats(), { sent: 4, dropped: 99_997, pending: 0, blocked: false });
});

test('a drain that fills the buffer again keeps the rest held', () => {
  const target = new SlowTarget(1);
  const stream = new LatestStateStream(target);
  stream.push(stateAt('a', 1));
  stream.push(stateAt('b', 2));
  stream.push(stateAt('c', 3));
  target.capacity = 2; // room for one more chunk
  stream.drain();
  assert.deepEqual(stream.stats(), { sent: 2, dropped: 0, pending: 1, blocked: true });
  target.capacity = Number.POSITIVE_INFINITY;
  stream.drain();
  assert.deepEqual(
    eventsOf(target).map((e) => JSON.parse(e.data as string).rig),
    ['a', 'b', 'c'],
  );
});

test('heartbeats are comments, skipped while blocked', () => {
  const target = new SlowTarget(2);
  const stream = new LatestStateStream(target);
  stream.heartbeat();
  assert.deepEqual(target.chunks, [HEARTBEAT]);
  stream.heartbeat(); // fills the buffer
  stream.heartbeat();
  assert.equal(target.chunks.length, 2);
  assert.equal(stream.stats().blocked, true);
  assert.deepEqual(new SseParser().push(HEARTBEAT), [{ comment: 'heartbeat' }]);
});

const adviceAt = (rig: string, ts: number, id: string | null, state = 'active'): ControlRecord => ({
  kind: 'advice',
  rig,
  ts,
  payload: id === null ? { state } : { id, state },
});

test('advice is written as `advice` events, in arrival order with the states', () => {
  const target = new SlowTarget(Number.POSITIVE_INFINITY);
  const stream = new LatestStateStream(target);
  stream.push(stateAt('r1', 1));
  stream.pushAdvice(adviceAt('r1', 2, 'a'));
  stream.push(stateAt('r1', 3));
  const events = new SseParser().push(target.chunks.join(''));
  assert.deepEqual(
    events.map((e) => [e.id, e.event, JSON.parse(e.data as string).ts]),
    [
      ['1', 'state', 1],
      ['2', 'advice', 2],
      ['3', 'state', 3],
    ],
  );
});

test('a blocked client holds the newest record per advice episode; a clear is never lost', () => {
  const target = new SlowTarget(1);
  const stream = new LatestStateStream(target);
  stream.push(stateAt('r1', 0)); // fills the buffer
  stream.pushAdvice(adviceAt('r1', 1, 'a'));
  stream.pushAdvice(adviceAt('r1', 2, 'b'));
  stream.push(stateAt('r1', 3));
  stream.pushAdvice(adviceAt('r1', 4, 'a', 'cleared'));
  stream.pushAdvice(adviceAt('r2', 5, 'a')); // same id, another rig: another episode
  stream.pushAdvice(adviceAt('r1', 6, null)); // no id: its own episode
  stream.pushAdvice(adviceAt('r1', 7, null));
  assert.deepEqual(stream.stats(), { sent: 1, dropped: 1, pending: 6, blocked: true });
  target.capacity = Number.POSITIVE_INFINITY;
  stream.drain();
  const got = new SseParser()
    .push(target.chunks.join(''))
    .map((e) => [e.event, JSON.parse(e.data as string).ts]);
  assert.deepEqual(got, [
    ['state', 0],
    ['advice', 2],
    ['state', 3],
    ['advice', 4],
    ['advice', 5],
    ['advice', 6],
    ['advice', 7],
  ]);
});

test('held advice is bounded: past the bound the oldest held record is dropped', () => {
  const target = new SlowTarget(1);
  const stream = new LatestStateStream(target);
  stream.push(stateAt('r1', 0));
  for (let i = 1; i <= MAX_PENDING_ADVICE + 10; i++) stream.pushAdvice(adviceAt('r1', i, `e${i}`));
  stream.push(stateAt('r1', 99_999));
  assert.deepEqual(stream.stats(), {
    sent: 1,
    dropped: 10,
    pending: MAX_PENDING_ADVICE + 1,
    blocked: true,
  });
  target.capacity = Number.POSITIVE_INFINITY;
  stream.drain();
  const advice = new SseParser().push(target.chunks.join('')).filter((e) => e.event === 'advice');
  assert.equal(JSON.parse(advice[0].data as string).ts, 11);
  assert.equal(advice.length, MAX_PENDING_ADVICE);
});

test('readings: written as they come; while blocked one per rig, newer ticks merged device by device', () => {
  const target = new SlowTarget(1);
  const stream = new LatestStateStream(target);
  const r = (ts: number, devices: string[]) => ({
    rig: 'r1',
    ts,
    devices: devices.map((device) => ({ ...readingsOf(emptySnapshot(ts, 'r1', device)), device })),
  });
  stream.pushReadings(r(1, ['gpu0', 'gpu1'])); // accepted, the buffer is now full
  stream.pushReadings(r(2, ['gpu0', 'gpu1']));
  stream.pushReadings(r(3, ['gpu0'])); // gpu1 missed this tick: its tick-2 readings stay held
  stream.push(stateAt('r1', 3));
  assert.deepEqual(stream.stats(), { sent: 1, dropped: 1, pending: 2, blocked: true });
  target.capacity = Number.POSITIVE_INFINITY;
  stream.drain();
  const events = new SseParser().push(target.chunks.join(''));
  assert.deepEqual(
    events.map((e) => e.event),
    ['readings', 'readings', 'state'],
  );
  const held = JSON.parse(events[1].data as string);
  assert.equal(held.ts, 3);
  assert.deepEqual(
    held.devices.map((d: { device: string; ts: number }) => [d.device, d.ts]),
    [
      ['gpu0', 3],
      ['gpu1', 2],
    ],
  );
});
