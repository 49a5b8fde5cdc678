// Tests of phase windows: settle rule, repeated and out-of-order markers, open end, study selection,
// counter deltas across resets and gaps.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RigtuneError } from '../../core/errors.ts';
import { buildPhaseSeries } from './series.ts';
import type { AbaMarker, StudySample } from './types.ts';
import { deviceWindows, selectStudyMarkers, studyWindows } from './windows.ts';

const MIN = 60_000;
const mk = (ts: number, phase: AbaMarker['phase'], study = 's'): AbaMarker => ({
  ts_ms: ts,
  study_id: study,
  rig: 'r',
  device: 'd',
  phase,
  treatment: 't',
  setpoint: phase === 'end' ? null : { kind: 'power_limit_w', value: phase === 'B' ? 200 : 300 },
});
const rows = (
  n: number,
  stepMs: number,
  extra: (i: number) => Partial<StudySample> = () => ({}),
): StudySample[] =>
  Array.from({ length: n }, (_, i) => ({ ts: i * stepMs, rig: 'r', device: 'd', power_w: 100, ...extra(i) }));

test('windows: settle is max(60 s, 10 %), markers in any order, a repeated marker continues', () => {
  const ms = [mk(40 * MIN, 'A2'), mk(0, 'A1'), mk(20 * MIN, 'B'), mk(25 * MIN, 'B'), mk(60 * MIN, 'end')];
  const dw = deviceWindows(ms, rows(3600, 1000), {});
  assert.deepEqual(
    dw.windows.map((w) => [w.phase, w.start_ms, w.end_ms, w.settle_ms, w.samples]),
    [
      ['A1', 0, 20 * MIN, 2 * MIN, 18 * 60],
      ['B', 20 * MIN, 40 * MIN, 2 * MIN, 18 * 60],
      ['A2', 40 * MIN, 60 * MIN, 2 * MIN, 18 * 60],
    ],
  );
  const short = deviceWindows([mk(0, 'A1'), mk(5 * MIN, 'B')], rows(600, 1000), { settleMs: 90_000 });
  assert.equal(short.windows[0].settle_ms, 90_000);
  assert.equal(short.windows[1].open_end, true);
  assert.match(short.notes.join(' '), /no closing marker/);
  const again = deviceWindows([mk(0, 'A1'), mk(MIN, 'B'), mk(2 * MIN, 'A1')], rows(10, 1000), {});
  assert.match(again.notes.join(' '), /starts again/);
});

test('study selection: one study implied, several need a choice, bad phases are rejected', () => {
  assert.equal(selectStudyMarkers([mk(0, 'A1')], undefined).studyId, 's');
  assert.throws(() => selectStudyMarkers([mk(0, 'A1'), mk(0, 'A1', 'x')], undefined), RigtuneError);
  assert.equal(selectStudyMarkers([mk(0, 'A1'), mk(0, 'A1', 'x')], 'x').markers.length, 1);
  assert.throws(() => selectStudyMarkers([mk(0, 'A1')], 'nope'), /no markers of study/);
  assert.throws(
    () => selectStudyMarkers([{ ...mk(0, 'A1'), phase: 'C' as 'A1' }], undefined),
    /not A1, B, A2 or end/,
  );
  const sw = studyWindows([...rows(5, 1000), { ts: 0, rig: 'x', device: 'y' }], [mk(0, 'A1')], {});
  assert.match(sw.warnings.join(' '), /1 device\(s\) with samples but no markers/);
});

test('counter deltas: a reset and a long gap drop the interval, never a negative count', () => {
  // Rejected shares: 0, 1, 2, then a reset to 0, then 1; a 60 s gap before the last row.
  const rej = [0, 1, 2, 0, 1, 2];
  const ts = [0, 1000, 2000, 3000, 4000, 64_000];
  const rs: StudySample[] = ts.map((t, i) => ({
    ts: t,
    rig: 'r',
    device: 'd',
    accepted_shares: 10 * i,
    rejected_shares: rej[i],
    hw_errors: i,
  }));
  const dw = deviceWindows([mk(0, 'A1'), mk(100_000, 'end')], rs, { settleMs: 0, settleFraction: 0 });
  const [a1] = buildPhaseSeries(dw, null, null, 5000);
  const r = a1.metrics.reject_rate;
  assert.deepEqual(Array.from(r.num), [0, 1, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(r.den), [0, 11, 11, 0, 11, 0]);
  assert.equal(r.n, 3);
  assert.equal(a1.metrics.hw_error_rate_per_h.n, 4);
});
