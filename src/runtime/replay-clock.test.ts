// The replay clock on a fake wall clock: trace timers fire at their wall time ÷ speed (or at once at
// max speed), in due order, with trace time moving to each due time, and never while held.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { MAX_SPEED, ReplayClock } from './replay-clock.ts';

const TRACE_START = 1_793_534_400_000;

function setup(speed: number) {
  const wall = new FakeClock(1_000_000);
  const clock = new ReplayClock(TRACE_START, speed, { clock: wall, timers: wall });
  const fired: number[] = [];
  return { wall, clock, fired };
}

test('at speed 10 a timer due 1000 trace ms ahead fires 100 wall ms later, with trace time at its due time', async () => {
  const { wall, clock, fired } = setup(10);
  for (const d of [1000, 2000, 3000]) clock.set(() => fired.push(clock.nowMs() - TRACE_START), d);
  clock.start();
  await wall.advance(99);
  assert.deepEqual(fired, []);
  assert.equal(clock.nowMs(), TRACE_START, 'trace time stands still between timers');
  await wall.advance(1);
  assert.deepEqual(fired, [1000]);
  await wall.advance(200);
  assert.deepEqual(fired, [1000, 2000, 3000]);
  assert.equal(clock.nowMs(), TRACE_START + 3000);
});

test('nothing fires before start; timers set by a timer keep the pace', async () => {
  const { wall, clock, fired } = setup(2);
  const tick = () => {
    fired.push(clock.nowMs() - TRACE_START);
    if (fired.length < 5) clock.set(tick, 1000);
  };
  clock.set(tick, 0);
  await wall.advance(10_000);
  assert.deepEqual(fired, [], 'not started');
  clock.start();
  await wall.advance(0);
  assert.deepEqual(fired, [0]);
  await wall.advance(1500);
  assert.deepEqual(fired, [0, 1000, 2000, 3000]);
});

test('at max speed every timer fires without wall time passing, in due then arming order', async () => {
  const { wall, clock, fired } = setup(MAX_SPEED);
  clock.set(() => fired.push(3), 3_600_000);
  clock.set(() => fired.push(1), 5);
  clock.set(() => fired.push(2), 5);
  clock.start();
  await wall.advance(0);
  assert.deepEqual(fired, [1, 2, 3]);
  assert.equal(clock.nowMs(), TRACE_START + 3_600_000);
  assert.equal(wall.nowMs(), 1_000_000);
});

test('a hold stops time; releasing it lets late timers fire at once', async () => {
  const { wall, clock, fired } = setup(1);
  let release = () => {};
  clock.set(() => {
    fired.push(clock.nowMs() - TRACE_START);
    release = clock.hold();
  }, 100);
  clock.set(() => fired.push(clock.nowMs() - TRACE_START), 200);
  clock.start();
  await wall.advance(1000);
  assert.deepEqual(fired, [100], 'the second timer waits for the hold');
  release();
  release(); // a second release changes nothing
  await wall.advance(0);
  assert.deepEqual(fired, [100, 200]);
});

test('a cleared timer does not fire, and sleep follows trace time', async () => {
  const { wall, clock, fired } = setup(MAX_SPEED);
  const h = clock.set(() => fired.push(1), 10);
  clock.clear(h);
  clock.start();
  const slept = clock.sleep(60_000).then(() => fired.push(clock.nowMs() - TRACE_START));
  await wall.advance(0);
  await slept;
  assert.deepEqual(fired, [60_000]);
  assert.equal(clock.pending, 0);
  const aborted = new AbortController();
  const s = clock.sleep(5, aborted.signal);
  aborted.abort(new Error('stop'));
  await assert.rejects(s, /stop/);
});

test('a speed of 0 or below is refused', () => {
  const wall = new FakeClock();
  assert.throws(() => new ReplayClock(0, 0, { clock: wall, timers: wall }), RangeError);
});

test('a frozen clock fires nothing more', async () => {
  const { wall, clock, fired } = setup(MAX_SPEED);
  const tick = () => {
    fired.push(clock.nowMs() - TRACE_START);
    clock.set(tick, 1000);
    if (fired.length === 3) clock.freeze();
  };
  clock.set(tick, 0);
  clock.start();
  await wall.advance(0);
  assert.deepEqual(fired, [0, 1000, 2000]);
  assert.equal(clock.pending, 1);
  await wall.advance(60_000);
  assert.deepEqual(fired, [0, 1000, 2000]);
});
