// Sweep grids (syntax, keys checked against the thresholds tree, the cartesian product) and the pick
// rule on validation figures: detection first within the false-alarm budget, then the tie-breaks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { evaluate } from './evaluate.ts';
import { gridPoints, parseSweep, pickCandidate } from './sweep.ts';
import type { BacktestFigures, ScopedLabel, Signal } from './types.ts';

const KNOWN = { changepoint: { hazard: 0.003, skip_repeats: true }, rupture: { micro: 0.2, meso: 0.4 } };

test('a grid: keys in order, values typed, every combination with its name and overlay', () => {
  const axes = parseSweep('changepoint.hazard=1e-4, 1e-3 ; rupture.meso=0.3,0.5;', KNOWN);
  const points = gridPoints(axes);
  assert.deepEqual(
    points.map((p) => p.name),
    [
      'changepoint.hazard=0.0001 rupture.meso=0.3',
      'changepoint.hazard=0.0001 rupture.meso=0.5',
      'changepoint.hazard=0.001 rupture.meso=0.3',
      'changepoint.hazard=0.001 rupture.meso=0.5',
    ],
  );
  assert.deepEqual(points[1].overlay, { changepoint: { hazard: 0.0001 }, rupture: { meso: 0.5 } });
  assert.deepEqual(points[1].settings, { 'changepoint.hazard': 0.0001, 'rupture.meso': 0.5 });
  assert.deepEqual(gridPoints(parseSweep('changepoint.skip_repeats=false', KNOWN))[0].overlay, {
    changepoint: { skip_repeats: false },
  });
  assert.deepEqual(gridPoints([]), [{ name: '', settings: {}, overlay: {} }]);
});

test('bad grids fail with RT_CLI_USAGE naming the problem', () => {
  const bad = (text: string, part: string) =>
    assert.throws(
      () => parseSweep(text, KNOWN),
      (e) => isRigtuneError(e, 'RT_CLI_USAGE') && e.message.includes(part),
      text,
    );
  bad('changepoint.hazrd=1', "'changepoint.hazrd' is not a thresholds key");
  bad('rupture=1', 'is a section');
  bad('changepoint.hazard', 'write key=value1,value2');
  bad('rupture.meso=0.3;rupture.meso=0.4', 'given twice');
  bad('rupture.meso=', 'has no values');
});

const DAY = 86_400_000;

/** Figures of a candidate that detected `k` of 4 labels and raised `fa` false alarms in one device-day. */
function figures(k: number, fa: number, leadS = 10): BacktestFigures {
  const labels: ScopedLabel[] = [0, 1, 2, 3].map((i) => ({
    id: `l${i}`,
    kind: 'k',
    rig: 'r',
    device: 'd',
    startMs: (i + 1) * 1_000_000,
    endMs: (i + 1) * 1_000_000 + 60_000,
    file: 'f',
    line: i + 1,
    trace: 0,
  }));
  const at = (tsMs: number): Signal => ({
    source: 'event',
    trace: 0,
    rig: 'r',
    device: 'd',
    tsMs,
    class: 'macro',
    adviceKind: null,
  });
  const signals = [
    ...labels.slice(0, k).map((l) => at(l.startMs + leadS * 1000)),
    ...Array.from({ length: fa }, (_, i) => at(50_000_000 + i)),
  ];
  const exposures = [{ trace: 0, rig: 'r', device: 'd', firstMs: 0, lastMs: DAY, samples: 1 }];
  return evaluate({ signals, labels, exposures, headline: 'any' }, { beforeMs: 0, afterMs: 0 });
}

test('pick: highest detection within the budget; ties by fewer false alarms, shorter lead, order', () => {
  const level = 'any' as const;
  const c = [figures(2, 0), figures(4, 9), figures(3, 1), figures(3, 1, 5), figures(3, 0, 20)];
  assert.equal(pickCandidate(c, { level, maxFalseAlarmsPerDeviceDay: null }).index, 1);
  assert.equal(pickCandidate(c, { level, maxFalseAlarmsPerDeviceDay: 2 }).index, 4);
  assert.equal(pickCandidate([c[2], c[3]], { level, maxFalseAlarmsPerDeviceDay: 2 }).index, 1);
  assert.equal(pickCandidate([c[2], c[2]], { level, maxFalseAlarmsPerDeviceDay: 2 }).index, 0);
  const none = pickCandidate([figures(4, 9), figures(1, 3)], { level, maxFalseAlarmsPerDeviceDay: 2 });
  assert.deepEqual([none.index, none.withinBudget], [1, false]);
});
