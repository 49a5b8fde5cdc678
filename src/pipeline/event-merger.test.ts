// Tests of EventMerger: one event per change, declarations of other channels within `mergeSamples`
// joining it, a repeat on the same channel starting a new one, the worst class while open, and flush.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuptureClass } from '../kernel/score/index.ts';
import { type Declaration, EventMerger } from './event-merger.ts';
import type { ScoreTick } from './types.ts';

const T0 = 1_700_000_000_000;
const tsAt = (i: number) => T0 + i * 1000;

function tick(index: number, cls: RuptureClass = 'none'): ScoreTick {
  return { ts: tsAt(index), rig: 'r', device: 'd', rupture_class: cls } as unknown as ScoreTick;
}

const decl = (channel: string, startSample: number, detectedSample: number, hazard = 0.95): Declaration => ({
  channel,
  startSample,
  detectedSample,
  hazard,
});

/** Feeds ticks 0..n−1 with the declarations and classes given per index; returns every closed event. */
function run(
  n: number,
  decls: Record<number, Declaration[]>,
  classes: Record<number, RuptureClass> = {},
  mergeSamples = 5,
) {
  const m = new EventMerger(mergeSamples);
  const closed: { at: number; event: ReturnType<EventMerger['flush']>[number] }[] = [];
  for (let i = 0; i < n; i += 1) {
    for (const e of m.push(i, tick(i, classes[i]), decls[i] ?? [], tsAt)) closed.push({ at: i, event: e });
  }
  for (const e of m.flush()) closed.push({ at: n, event: e });
  return closed;
}

test('nothing declared: no events, flush gives nothing', () => {
  assert.deepEqual(run(20, {}), []);
});

test('a declaration opens an event that closes mergeSamples samples after it', () => {
  const closed = run(20, { 10: [decl('power_w', 8, 10, 0.97)] });
  assert.equal(closed.length, 1);
  assert.equal(closed[0].at, 15);
  assert.deepEqual(closed[0].event, {
    type: 'event',
    ts_start: tsAt(8),
    ts_detected: tsAt(10),
    rig: 'r',
    device: 'd',
    class: 'none',
    channels: ['power_w'],
    hazard: 0.97,
  });
});

test('other channels within the window join the event in declaration order, hazard the highest', () => {
  const closed = run(30, {
    10: [decl('power_w', 8, 10, 0.91)],
    12: [decl('temp_core_c', 9, 12, 0.99), decl('fan_rpm', 10, 12, 0.93)],
    14: [decl('util_pct', 12, 14, 0.9)],
  });
  assert.equal(closed.length, 1);
  const e = closed[0].event;
  assert.deepEqual(e.channels, ['power_w', 'temp_core_c', 'fan_rpm', 'util_pct']);
  assert.equal(e.hazard, 0.99);
  assert.equal(e.ts_start, tsAt(8));
  assert.equal(e.ts_detected, tsAt(10));
});

test('a declaration at or after the window starts a new event', () => {
  const closed = run(30, { 10: [decl('power_w', 8, 10)], 15: [decl('temp_core_c', 13, 15)] });
  assert.deepEqual(
    closed.map((c) => [c.at, c.event.channels]),
    [
      [15, ['power_w']],
      [20, ['temp_core_c']],
    ],
  );
});

test('a repeat on the same channel closes the open event and starts another', () => {
  const closed = run(30, { 10: [decl('power_w', 8, 10)], 12: [decl('power_w', 11, 12)] });
  assert.deepEqual(
    closed.map((c) => [c.at, c.event.ts_start, c.event.channels]),
    [
      [12, tsAt(8), ['power_w']],
      [17, tsAt(11), ['power_w']],
    ],
  );
});

test('the event carries the worst class of the ticks while it is open (not of the closing tick)', () => {
  const closed = run(
    30,
    { 10: [decl('power_w', 8, 10)] },
    { 9: 'macro', 11: 'meso', 13: 'micro', 15: 'macro' },
  );
  assert.equal(closed.length, 1);
  assert.equal(closed[0].event.class, 'meso');
  const opening = run(30, { 10: [decl('power_w', 8, 10)] }, { 10: 'macro' });
  assert.equal(opening[0].event.class, 'macro');
});

test('flush closes the open event once', () => {
  const m = new EventMerger(5);
  m.push(0, tick(0), [decl('power_w', 0, 0)], tsAt);
  const first = m.flush();
  assert.equal(first.length, 1);
  assert.deepEqual(m.flush(), []);
});
