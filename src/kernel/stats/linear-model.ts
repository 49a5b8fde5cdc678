// Ordinary least squares from its normal equations: a small dense solver (partial pivoting) and a fit
// from rows, so callers can also bootstrap the cross-product sums and re-solve per replicate.

/**
 * Solves `a · x = b` for a small square system by Gaussian elimination with partial pivoting; null
 * when a pivot is below `tolerance` × the largest absolute entry (singular or near-singular).
 * Inputs are not modified.
 */
export function solveLinearSystem(
  a: readonly (readonly number[])[],
  b: readonly number[],
  tolerance = 1e-12,
): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (const row of a) for (const v of row) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0)) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (!(Math.abs(m[pivot][col]) > tolerance * scale)) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let acc = m[r][n];
    for (let c = r + 1; c < n; c++) acc -= m[r][c] * x[c];
    x[r] = acc / m[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}

/** An OLS fit: coefficients, residual variance and classical (iid) standard errors. */
export interface OlsFit {
  readonly coefficients: number[];
  /** Classical standard errors (assume independent errors; use a bootstrap for autocorrelated data). */
  readonly standardErrors: number[];
  /** Residual variance with n − p degrees of freedom; null when n ≤ p. */
  readonly residualVariance: number | null;
  readonly n: number;
}

/**
 * Least-squares fit of `y` on the columns of `x` (one row per observation; add a column of 1 for an
 * intercept). Null when the design is rank-deficient or there are fewer rows than columns.
 */
export function fitOls(x: readonly (readonly number[])[], y: readonly number[]): OlsFit | null {
  const n = y.length;
  const p = n > 0 ? x[0].length : 0;
  if (n < p || p === 0) return null;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const row = x[i];
    for (let j = 0; j < p; j++) {
      xty[j] += row[j] * y[i];
      for (let k = 0; k < p; k++) xtx[j][k] += row[j] * row[k];
    }
  }
  const beta = solveLinearSystem(xtx, xty);
  if (beta === null) return null;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += x[i][j] * beta[j];
    rss += (y[i] - fit) ** 2;
  }
  const residualVariance = n > p ? rss / (n - p) : null;
  const standardErrors = beta.map((_, j) => {
    if (residualVariance === null) return Number.NaN;
    const unit = new Array<number>(p).fill(0);
    unit[j] = 1;
    const col = solveLinearSystem(xtx, unit);
    return col === null ? Number.NaN : Math.sqrt(residualVariance * col[j]);
  });
  return { coefficients: beta, standardErrors, residualVariance, n };
}
