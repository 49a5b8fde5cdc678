// Tests of ChannelWatch: its change detector and flag-stream structure equal the kernels run on their
// own, structure is null until `minBits`, and the per-flag detail is the QFH of each flag window.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangePointDetector, detectChangePoints } from '../kernel/changepoint/index.ts';
import { encodeCausal } from '../kernel/encode/index.ts';
import { analyzeWindow } from '../kernel/qfh/index.ts';
import { ChannelWatch, structureOf } from './channel-watch.ts';
import { FixtureRng } from './fixture-rig.ts';

function stepSeries(n: number, at: number, seed: number): (number | null)[] {
  const rng = new FixtureRng(seed);
  return Array.from({ length: n }, (_, i) => (i === 37 ? null : (i < at ? 200 : 260) + 2 * rng.normal()));
}

test('structureOf reports the QFH metrics of the window in the tick shape', () => {
  const bits = Uint8Array.from([0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1]);
  const m = analyzeWindow(bits);
  assert.deepEqual(structureOf(bits), {
    n: m.n,
    coherence: m.coherence,
    stability: m.stability,
    entropy: m.entropy,
    rupture: m.rupture,
    flip_ratio: m.flip_ratio,
    collapse: m.collapse,
    sig_c: m.sig_c,
    sig_s: m.sig_s,
    sig_e: m.sig_e,
  });
});

test('the change detector sees exactly the channel values: same changeProb and declarations', () => {
  const values = stepSeries(300, 180, 3);
  const watch = new ChannelWatch('power_w', 0, 31, 15, {});
  const detector = new ChangePointDetector();
  const declared = [];
  for (const v of values) {
    const got = watch.push(v);
    const want = detector.update(v);
    assert.equal(watch.changeProb, want.changeProb);
    assert.deepEqual(got, want.detected);
    if (got !== null) declared.push(got);
  }
  assert.deepEqual(declared, detectChangePoints(values));
  assert.ok(declared.some((d) => Math.abs(d.startIndex - 180) <= 2));
});

test('changepoint options reach the detector', () => {
  const values = stepSeries(300, 180, 4);
  const watch = new ChannelWatch('power_w', 0, 31, 15, { threshold: 0.999, hazard: 0.0001 });
  const got = values.map((v) => watch.push(v)).filter((d) => d !== null);
  assert.deepEqual(got, detectChangePoints(values, { threshold: 0.999, hazard: 0.0001 }));
});

test('structure is null until the flag windows hold minBits, then the mean of the four flag streams', () => {
  const values = stepSeries(120, 80, 5);
  const watch = new ChannelWatch('power_w', 0, 31, 15, {});
  const flags = encodeCausal(values);
  const names = ['UP', 'ACCEL', 'RANGEEXP', 'ZPOS'] as const;
  const streams = [flags.up, flags.accel, flags.rangeexp, flags.zpos];
  for (let i = 0; i < values.length; i += 1) {
    watch.push(values[i]);
    const brief = watch.score(false);
    const detail = watch.score(true);
    if (i + 1 < 15) {
      assert.deepEqual(brief, {
        change_prob: watch.changeProb,
        coherence: null,
        stability: null,
        entropy: null,
        rupture: null,
      });
      assert.deepEqual(detail, brief);
      continue;
    }
    const per = streams.map((s) => structureOf(s.slice(Math.max(0, i + 1 - 31), i + 1)));
    const mean = (k: 'coherence' | 'stability' | 'entropy' | 'rupture') =>
      (per[0][k] + per[1][k] + per[2][k] + per[3][k]) / 4;
    const want = {
      change_prob: watch.changeProb,
      coherence: mean('coherence'),
      stability: mean('stability'),
      entropy: mean('entropy'),
      rupture: mean('rupture'),
    };
    assert.deepEqual(brief, want);
    assert.deepEqual(Object.keys(brief), Object.keys(want));
    assert.deepEqual(detail, { ...want, flags: Object.fromEntries(names.map((n, k) => [n, per[k]])) });
    assert.equal(per[0].n, Math.min(i + 1, 31));
  }
});

test('name and firstSample are kept for the caller', () => {
  const watch = new ChannelWatch('fan_rpm', 12, 31, 15, {});
  assert.equal(watch.name, 'fan_rpm');
  assert.equal(watch.firstSample, 12);
  assert.equal(watch.changeProb, 0);
});
