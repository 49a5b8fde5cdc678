// Tests of the segment model maths: log-gamma, the Student-t density, and the Kalman filter against the
// closed-form conjugate results it must reduce to when nothing drifts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  advanceSegment,
  logGamma,
  logGammaHalfStep,
  logPredictive,
  logStudentT,
  observeSegment,
  openSegment,
  type SegmentState,
} from './segment-model.ts';

const near = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} is not ${b}`);

test('logGamma matches known values', () => {
  near(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  near(logGamma(1), 0, 1e-12);
  near(logGamma(5), Math.log(24), 1e-12);
  near(logGamma(10.5), Math.log(1133278.388948785), 1e-10);
  near(logGamma(0.1), Math.log(9.513507698668732), 1e-12);
});

test('logGammaHalfStep equals the difference of logGamma on both sides of its switch', () => {
  for (const a of [0.5, 1, 3, 7.99, 8, 8.5, 20, 1000])
    near(logGammaHalfStep(a), logGamma(a + 0.5) - logGamma(a), 1e-9);
});

test('the Student-t density integrates to 1 and peaks at its location', () => {
  let sum = 0;
  const dx = 0.01;
  for (let x = -400; x <= 400; x += dx) sum += Math.exp(logStudentT(x, 3, 2, 4)) * dx;
  near(sum, 1, 2e-3);
  assert.ok(logStudentT(2, 3, 2, 4) > logStudentT(2.5, 3, 2, 4));
  // Many degrees of freedom: close to the normal density.
  near(logStudentT(1, 1e6, 0, 1), -0.5 * Math.log(2 * Math.PI) - 0.5, 1e-5);
});

const fresh = (levelVar: number, slopeVar: number): SegmentState => {
  const s: SegmentState = { level: 0, slope: 0, p00: 0, p01: 0, p11: 0, shape: 0, rate: 0 };
  openSegment(s, levelVar, slopeVar);
  return s;
};

test('without drift or slope the filter is the conjugate normal mean', () => {
  const s = fresh(100, 0);
  const ys = [3, 5, 4, 6, 2];
  for (const [i, y] of ys.entries()) {
    if (i > 0) advanceSegment(s, { level: 0, slope: 0 });
    observeSegment(s, y, 1);
  }
  const precision = ys.length + 1 / 100;
  near(s.level, ys.reduce((a, b) => a + b, 0) / precision, 1e-12);
  near(s.p00, 1 / precision, 1e-12);
  near(s.shape, ys.length / 2, 1e-12);
});

test('without drift a line model is Bayesian linear regression on (1, τ)', () => {
  const s = fresh(100, 1);
  // Normal equations (XᵀX + Λ₀) β = Xᵀy with Λ₀ = diag(1/100, 1/1).
  let a = 1 / 100;
  let b = 0;
  let d = 1;
  let u = 0;
  let v = 0;
  for (let tau = 0; tau < 30; tau += 1) {
    const y = 2 + 0.5 * tau + (tau % 3) - 1;
    if (tau > 0) advanceSegment(s, { level: 0, slope: 0 });
    observeSegment(s, y, 1);
    a += 1;
    b += tau;
    d += tau * tau;
    u += y;
    v += tau * y;
  }
  const det = a * d - b * b;
  const intercept = (d * u - b * v) / det;
  const slope = (a * v - b * u) / det;
  advanceSegment(s, { level: 0, slope: 0 });
  near(s.slope, slope, 1e-9);
  near(s.level, intercept + 30 * slope, 1e-9);
  assert.ok(logPredictive(s, 17, 1, 1) > logPredictive(s, 18, 1, 1));
});

test('an outlier weight of 0 leaves the segment untouched', () => {
  const s = fresh(10, 0);
  observeSegment(s, 1, 1);
  const before = { ...s };
  observeSegment(s, 1000, 0);
  assert.deepEqual(s, before);
});
