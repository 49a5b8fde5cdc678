import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEARTBEAT, LatestStateStream, type SseTarget } from './sse.ts';
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
