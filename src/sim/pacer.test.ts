// FleetPacer: one fleet step per step of the clock, half a step out of phase with the first reader,
// so readers a step apart (with jitter) always see exactly one new step; fault times map to the clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { parseFaultSpec } from './faults.ts';
import { Fleet } from './fleet.ts';
import { FleetPacer } from './pacer.ts';

const START = Date.UTC(2026, 10, 1, 12);

function fleet(): Fleet {
  return new Fleet({
    seed: 3,
    startMs: START,
    gpuRigs: 1,
    gpusPerRig: 1,
    asics: 0,
    settleS: 60,
    faults: parseFaultSpec('fan_failure@rig0/gpu0@10s'),
  });
}

test('readers one step apart, jittered by up to ±400 ms, see exactly one new step each', () => {
  const f = fleet();
  let now = START + 123_456;
  const pacer = new FleetPacer(f, () => now, 1000);
  assert.equal(pacer.anchorMs, null);
  pacer.sync();
  assert.equal(pacer.anchorMs, now - 500);
  assert.equal(pacer.steps, 0);
  const first = now;
  const jitter = [0, 390, -400, 250, -120, 399, -399, 0, 10, -10];
  for (let k = 1; k <= jitter.length; k++) {
    now = first + k * 1000 + jitter[k - 1];
    pacer.sync();
    pacer.sync(); // a second request of the same poll changes nothing
    assert.equal(pacer.steps, k);
    assert.equal(f.nowMs, START + k * 1000);
  }
});

test('a gap is caught up step by step; time going backwards steps nothing', () => {
  const f = fleet();
  let now = START;
  const pacer = new FleetPacer(f, () => now, 1000);
  pacer.sync();
  now += 5000;
  pacer.sync();
  assert.equal(pacer.steps, 5);
  now -= 3000;
  pacer.sync();
  assert.equal(pacer.steps, 5);
  assert.equal(f.nowMs, START + 5000);
});

test('clockMsOf maps a fault label to the clock time its effect is first read', () => {
  const f = fleet();
  let now = START + 7_000_000;
  const pacer = new FleetPacer(f, () => now, 1000);
  assert.equal(pacer.clockMsOf(START), null);
  pacer.sync();
  const anchor = now - 500;
  for (let k = 1; k <= 12; k++) {
    now = anchor + 500 + k * 1000;
    pacer.sync();
  }
  const label = f.labels()[0];
  assert.equal(label.kind, 'fan_failure');
  assert.equal(pacer.clockMsOf(label.ts_start), anchor + 10_000);
});

test('a step that is not positive is refused', () => {
  assert.throws(
    () => new FleetPacer(fleet(), () => START, 0),
    (e: unknown) => isRigtuneError(e) && e.code === 'RT_CONFIG_INVALID',
  );
});
