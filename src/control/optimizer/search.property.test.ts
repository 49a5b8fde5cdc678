// Property tests of the search: whatever the bounds, rails and sequence of outcomes, a proposal lies in
// the bounds, moves at least the resolution and at most the max step, and the search always ends.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ActionOutcome } from '../autotune/index.ts';
import { DEFAULT_OPTIMIZER_OPTIONS } from './options.ts';
import { applyOutcome, initialSearchState, proposeStep, resolutionOf } from './search.ts';
import { outcome, powerView } from './test-kit.ts';

const O = DEFAULT_OPTIMIZER_OPTIONS.search;

const setup = fc
  .record({
    min: fc.integer({ min: 0, max: 3000 }),
    span: fc.integer({ min: 0, max: 2000 }),
    grid: fc.constantFrom(undefined, 1, 5, 15),
    maxStep: fc.integer({ min: 1, max: 300 }),
    minStep: fc.integer({ min: 1, max: 50 }),
    resolution: fc.integer({ min: 1, max: 30 }),
    startFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((s) => ({
    ...s,
    bounds:
      s.grid === undefined
        ? { min: s.min, max: s.min + s.span }
        : { min: s.min, max: s.min + s.span, step: s.grid },
  }));

const verdicts = fc.array(
  fc.record({
    result: fc.constantFrom<ActionOutcome['result']>('validated', 'validated', 'rolled_back', 'failed'),
    diff: fc.option(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { nil: null, freq: 8 }),
    half: fc.double({ min: 0, max: 0.05, noNaN: true }),
  }),
  { minLength: 1, maxLength: 60 },
);

test('every proposal lies in the bounds and moves between the resolution and the max step', () => {
  fc.assert(
    fc.property(setup, verdicts, (s, seq) => {
      let state = initialSearchState(O);
      let current = s.bounds.min + Math.round(s.startFrac * (s.bounds.max - s.bounds.min));
      for (const [i, v] of seq.entries()) {
        const view = powerView(current, {
          bounds: s.bounds,
          maxStep: s.maxStep,
          minStep: s.minStep,
          nowMs: i,
        });
        const p = proposeStep(state, view, O, s.resolution);
        if (p === null) return;
        const res = resolutionOf(view, s.resolution);
        assert.ok(p.value >= s.bounds.min && p.value <= s.bounds.max, `${p.value} outside`);
        const d = Math.abs(p.value - current);
        assert.ok(d >= res - 1e-9 && d <= s.maxStep + 1e-9, `step ${d} (res ${res}, max ${s.maxStep})`);
        const o = outcome(current, p.value, v.result, v.result === 'failed' ? null : v.diff, v.half);
        if (v.result === 'validated' && v.diff !== null) current = p.value;
        state = applyOutcome(
          state,
          { ...o, result: v.diff === null && v.result === 'validated' ? 'rolled_back' : v.result },
          O,
          s.resolution,
        );
      }
    }),
    { numRuns: 400 },
  );
});

test('the search ends: only retries and significant gains keep the step from shrinking', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -0.001, max: 0.001, noNaN: true }), { minLength: 80, maxLength: 80 }),
      (noise) => {
        let state = initialSearchState(O);
        let current = 450;
        let n = 0;
        for (const diff of noise) {
          const view = powerView(current, { nowMs: n });
          const p = proposeStep(state, view, O, 5);
          if (p === null) return;
          n++;
          current = p.value;
          state = applyOutcome(state, outcome(view.current, p.value, 'validated', diff, 0.002), O, 5);
        }
        assert.fail(`still searching after ${n} inconclusive steps`);
      },
    ),
    { numRuns: 200 },
  );
});
