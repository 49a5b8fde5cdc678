// Exact figures on hand-built signals and labels: matching windows and tolerances, lead times, false
// alarms per device-day with Poisson intervals, precision per level and advice kind, label scoping.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuptureClass } from '../../core/scores.ts';
import { evaluate, scopeLabels } from './evaluate.ts';
import type { Label } from './labels.ts';
import type { Exposure, ScopedLabel, Signal } from './types.ts';

const DAY = 86_400_000;
const exposures: Exposure[] = ['d0', 'd1'].map((device) => ({
  trace: 0,
  rig: 'r',
  device,
  firstMs: 0,
  lastMs: DAY,
  samples: 86_401,
}));

function label(
  id: string,
  kind: string,
  device: string | null,
  startMs: number,
  endMs: number | null,
): ScopedLabel {
  return { id, kind, rig: 'r', device, startMs, endMs, file: 'l.ndjson', line: 1, trace: 0 };
}

const labels = [
  label('L1', 'fan', 'd0', 10_000_000, 10_600_000),
  label('L2', 'pool', null, 50_000_000, null),
  label('L3', 'x', 'd1', 70_000_000, 70_100_000),
];

const event = (device: string, tsMs: number, cls: RuptureClass): Signal => ({
  source: 'event',
  trace: 0,
  rig: 'r',
  device,
  tsMs,
  class: cls,
  adviceKind: null,
});
const advice = (device: string | null, tsMs: number, kind: string): Signal => ({
  source: 'advice',
  trace: 0,
  rig: 'r',
  device,
  tsMs,
  class: null,
  adviceKind: kind,
});

const signals: Signal[] = [
  event('d0', 9_970_000, 'micro'), // 30 s before L1: inside the 60 s tolerance, lead −30 s
  event('d0', 10_100_000, 'macro'), // L1, lead 100 s
  event('d1', 20_000_000, 'none'), // no label: false alarm
  event('d1', 10_200_000, 'meso'), // L1 is on d0: false alarm
  event('d0', 10_900_001, 'micro'), // 1 ms past L1's end + 300 s: false alarm
  event('d1', 50_005_000, 'meso'), // L2 (whole rig), lead 5 s
  event('d1', 80_000_000, 'none'), // L2 never ends: matched
  advice(null, 50_060_000, 'check_pool'), // L2, lead 60 s
  advice('d0', 30_000_000, 'raise_fan'), // false alarm
  advice('d0', 10_050_000, 'raise_fan'), // L1, lead 50 s
];

const f = evaluate({ signals, labels, exposures, headline: 'micro' }, { beforeMs: 60_000, afterMs: 300_000 });

test('exposure: devices and device-days', () => {
  assert.equal(f.traces, 1);
  assert.equal(f.devices, 2);
  assert.equal(f.device_days, 2);
  assert.equal(f.labels, 3);
});

test('any level: detection, lead quartiles, false alarms with the Poisson interval, precision', () => {
  const a = f.levels.any;
  assert.deepEqual([a.detection.k, a.detection.n], [2, 3]);
  assert.deepEqual(a.lead_time_s.values, [-30, 5]);
  assert.equal(a.lead_time_s.median, -12.5);
  assert.equal(a.lead_time_s.q1, -21.25);
  assert.equal(a.signals, 7);
  assert.equal(a.false_alarms.count, 3);
  assert.equal(a.false_alarms.per_device_day, 1.5);
  const [lo, hi] = a.false_alarms.ci95 ?? [Number.NaN, Number.NaN];
  assert.ok(Math.abs(lo - 0.6186721 / 2) < 1e-6, `lower ${lo}`);
  assert.ok(Math.abs(hi - 8.767273 / 2) < 1e-6, `upper ${hi}`);
  assert.deepEqual([a.precision.k, a.precision.n], [4, 7]);
});

test('class levels keep events of at least that class', () => {
  assert.deepEqual(
    (['micro', 'meso', 'macro'] as const).map((l) => {
      const x = f.levels[l];
      return [x.signals, x.detection.k, x.false_alarms.count, x.precision.k, x.lead_time_s.values];
    }),
    [
      [5, 2, 2, 3, [-30, 5]],
      [3, 2, 1, 2, [5, 100]],
      [1, 1, 0, 1, [100]],
    ],
  );
});

test('advice: detection and lead, precision per kind; a rig-wide advice matches a rig-wide label', () => {
  const a = f.levels.advice;
  assert.deepEqual([a.detection.k, a.detection.n, a.lead_time_s.median], [2, 3, 55]);
  assert.equal(a.false_alarms.count, 1);
  assert.equal(a.false_alarms.per_device_day, 0.5);
  assert.deepEqual(f.advice_kinds.check_pool.precision, {
    k: 1,
    n: 1,
    rate: 1,
    ci95: f.advice_kinds.check_pool.precision.ci95,
  });
  assert.deepEqual([f.advice_kinds.raise_fan.precision.k, f.advice_kinds.raise_fan.precision.n], [1, 2]);
  assert.equal(f.advice_kinds.raise_fan.false_alarms.count, 1);
  const ci = f.advice_kinds.raise_fan.precision.ci95 ?? [0, 0];
  assert.ok(Math.abs(ci[0] - 0.0945287) < 1e-6 && Math.abs(ci[1] - 0.9054713) < 1e-6, `wilson ${ci}`);
});

test('per label kind at the headline level and by advice', () => {
  const k = (name: string) => [
    f.label_kinds[name].detection.k,
    f.label_kinds[name].advice.k,
    f.label_kinds[name].detection.n,
  ];
  assert.deepEqual(
    [k('fan'), k('pool'), k('x')],
    [
      [1, 1, 1],
      [1, 1, 1],
      [0, 0, 1],
    ],
  );
});

test('no labels and no signals: rates are null, never made up', () => {
  const empty = evaluate(
    { signals: [], labels: [], exposures: [], headline: 'any' },
    { beforeMs: 0, afterMs: 0 },
  );
  assert.equal(empty.levels.any.detection.rate, null);
  assert.equal(empty.levels.any.detection.ci95, null);
  assert.equal(empty.levels.any.false_alarms.per_device_day, null);
  assert.equal(empty.levels.any.lead_time_s.median, null);
});

test('scopeLabels: onset inside a device span, own trace only when paired, the rest unobserved', () => {
  const base: Omit<Label, 'id' | 'device' | 'startMs'> = {
    kind: 'k',
    rig: 'r',
    endMs: null,
    file: 'f',
    line: 1,
  };
  const ex: Exposure[] = [
    { trace: 0, rig: 'r', device: 'd0', firstMs: 1000, lastMs: 5000, samples: 5 },
    { trace: 1, rig: 'r', device: 'd0', firstMs: 1000, lastMs: 5000, samples: 5 },
  ];
  const { scoped, unobserved } = scopeLabels(
    [
      { label: { ...base, id: 'a', device: 'd0', startMs: 2000 }, trace: null },
      { label: { ...base, id: 'b', device: 'd0', startMs: 2000 }, trace: 1 },
      { label: { ...base, id: 'c', device: 'd9', startMs: 2000 }, trace: null },
      { label: { ...base, id: 'd', device: null, startMs: 999 }, trace: null },
    ],
    ex,
  );
  assert.deepEqual(
    scoped.map((l) => [l.id, l.trace]),
    [
      ['a', 0],
      ['a', 1],
      ['b', 1],
    ],
  );
  assert.deepEqual(
    unobserved.map((u) => u.label.id),
    ['c', 'd'],
  );
});
