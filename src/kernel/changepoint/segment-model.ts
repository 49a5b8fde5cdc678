// The per-segment model of the detector: a local linear trend (level and slope that may drift slowly)
// observed in Gaussian noise of unknown variance, filtered exactly (Kalman + inverse-gamma), O(1) a sample.

/** Lanczos coefficients (g = 7, n = 9), made once rather than at every call. */
const LANCZOS = Float64Array.of(
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
);

/** Natural log of Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = LANCZOS;
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i += 1) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln Γ(a + ½) − ln Γ(a) for a > 0: the asymptotic series for a ≥ 8 (absolute error below 1e-11, and
 * no cancellation between two large logGamma values), else the difference of logGamma.
 */
export function logGammaHalfStep(a: number): number {
  if (a < 8) return logGamma(a + 0.5) - logGamma(a);
  const i = 1 / a;
  const i2 = i * i;
  return 0.5 * Math.log(a) - i / 8 + (i * i2) / 192 - (i * i2 * i2) / 640 + (17 * i * i2 * i2 * i2) / 14336;
}

/** Log density of a Student-t with `dof` degrees of freedom, location `loc` and squared scale `scale2`. */
export function logStudentT(x: number, dof: number, loc: number, scale2: number): number {
  const z = x - loc;
  return (
    logGammaHalfStep(dof / 2) -
    0.5 * Math.log(dof * Math.PI * scale2) -
    ((dof + 1) / 2) * Math.log1p((z * z) / (dof * scale2))
  );
}

/** Drift of the state per sample, as variances relative to the noise variance σ² (0 = static). */
export interface SegmentDrift {
  readonly level: number;
  readonly slope: number;
}

/**
 * State of one segment hypothesis, in the data's unit relative to the segment's centre value: level and
 * slope means, their covariance P (in units of σ²), and the evidence about σ² gathered so far (shape and
 * rate increments; the prior's share is added at prediction, so every hypothesis uses the current prior).
 */
export interface SegmentState {
  level: number;
  slope: number;
  p00: number;
  p01: number;
  p11: number;
  shape: number;
  rate: number;
}

/** A new segment: level 0 (its centre), slope 0, prior variances in units of σ², no σ² evidence yet. */
export function openSegment(out: SegmentState, levelVar: number, slopeVar: number): void {
  out.level = 0;
  out.slope = 0;
  out.p00 = levelVar;
  out.p01 = 0;
  out.p11 = slopeVar;
  out.shape = 0;
  out.rate = 0;
}

/** Time update: the state moves one sample ahead (level += slope) and gains the drift variance. */
export function advanceSegment(s: SegmentState, drift: SegmentDrift): void {
  s.level += s.slope;
  const p00 = s.p00 + 2 * s.p01 + s.p11 + drift.level;
  const p01 = s.p01 + s.p11;
  s.p00 = p00;
  s.p01 = p01;
  s.p11 += drift.slope;
}

/**
 * Log predictive density of `y` (centred value) for an advanced segment, a Student-t, under the noise
 * prior σ² ~ IG(priorShape, priorRate) (priorShape > 0, priorRate > 0) plus the segment's evidence.
 */
export function logPredictive(s: SegmentState, y: number, priorShape: number, priorRate: number): number {
  const shape = priorShape + s.shape;
  return logStudentT(y, 2 * shape, s.level, ((priorRate + s.rate) / shape) * (s.p00 + 1));
}

/**
 * Measurement update with `y` (centred value) counted with weight `u` in (0, 1] (inlier probability):
 * the state sees noise variance σ²/u; the variance posterior gets u times a regular sample's evidence.
 */
export function observeSegment(s: SegmentState, y: number, u: number): void {
  if (u <= 1e-9) return;
  const e = y - s.level;
  const spread = s.p00 + 1;
  const inv = 1 / (s.p00 + 1 / u);
  const k0 = s.p00 * inv;
  const k1 = s.p01 * inv;
  s.level += k0 * e;
  s.slope += k1 * e;
  const p00 = s.p00 - k0 * s.p00;
  const p01 = s.p01 - k0 * s.p01;
  const p11 = s.p11 - k1 * s.p01;
  s.p00 = p00;
  s.p01 = p01;
  s.p11 = p11;
  s.shape += u / 2;
  s.rate += (u * e * e) / (2 * spread);
}
