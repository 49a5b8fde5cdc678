// The two scores of the Turing Change Point Dataset benchmark (TCPDBench): F1 with a margin and cover.
// Implemented from the rules in ../shared/data/README.md (van den Burg & Williams, arXiv:2003.06222).

import { matchWindows } from './backtest/index.ts';

/** Annotations of one series: annotator id → that annotator's 0-based change-point indices. */
export type Annotations = Readonly<Record<string, readonly number[]>>;

/**
 * Cleans predicted change points as the benchmark does: duplicates removed, only indices 1 ≤ t ≤ n−2
 * kept, sorted ascending. `n` is the series length in samples.
 */
export function cleanPredictions(predictions: readonly number[], n: number): number[] {
  const kept = new Set<number>();
  for (const p of predictions) if (Number.isInteger(p) && p >= 1 && p <= n - 2) kept.add(p);
  return [...kept].sort((a, b) => a - b);
}

/**
 * Number of true points matched: each true point (ascending) takes at most one unused prediction within
 * ±margin samples, the nearest one (on a tie the smaller index); a used prediction is removed. This is
 * the backtest harness's matchWindows with pick 'nearest', exclusive — one matching rule for both.
 */
export function countTruePositives(
  truth: readonly number[],
  predictions: readonly number[],
  margin: number,
): number {
  const windows = truth.map((tau) => ({ fromT: tau - margin, toT: tau + margin, anchor: tau }));
  const matched = matchWindows(windows, predictions, { pick: 'nearest', exclusive: true });
  return matched.filter((m) => m !== null).length;
}

/** Annotator sets with index 0 added to each, in the key order of `annotations`. */
function annotatorSets(annotations: Annotations): number[][] {
  return Object.values(annotations).map((cps) => [...new Set([0, ...cps])]);
}

/**
 * TCPD F1 score in [0, 1] of `predictions` (0-based change-point indices) against the annotators, for a
 * series of `n` samples. Precision uses the union of all annotator sets, recall the mean over annotators;
 * index 0 counts as a change point in every set. `margin` is in samples.
 */
export function f1Score(
  annotations: Annotations,
  predictions: readonly number[],
  n: number,
  margin = 5,
): number {
  const sets = annotatorSets(annotations);
  const x = [0, ...cleanPredictions(predictions, n)];
  const union = [...new Set(sets.flat())];
  const precision = countTruePositives(union, x, margin) / x.length;
  if (sets.length === 0) return precision;
  let recallSum = 0;
  for (const set of sets) recallSum += countTruePositives(set, x, margin) / set.length;
  const recall = recallSum / sets.length;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Segments [start, end) of 0..n−1 that the change points (each starting a segment) cut it into. */
function segmentsOf(changePoints: readonly number[], n: number): Array<readonly [number, number]> {
  const starts = [...new Set(changePoints.filter((c) => c > 0 && c < n))].sort((a, b) => a - b);
  const bounds = [0, ...starts, n];
  const segments: Array<readonly [number, number]> = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) segments.push([bounds[i], bounds[i + 1]]);
  return segments;
}

/** C(S′→S) = (1/n) Σ_{R∈S} |R| · max_{R′∈S′} |R∩R′|/|R∪R′| over interval segments. */
function coverOf(
  predicted: Array<readonly [number, number]>,
  truth: Array<readonly [number, number]>,
  n: number,
) {
  let total = 0;
  for (const [a, b] of truth) {
    let best = 0;
    for (const [c, d] of predicted) {
      const inter = Math.min(b, d) - Math.max(a, c);
      if (inter <= 0) continue;
      const jaccard = inter / (Math.max(b, d) - Math.min(a, c));
      if (jaccard > best) best = jaccard;
    }
    total += (b - a) * best;
  }
  return total / n;
}

/**
 * TCPD cover score in [0, 1]: the mean over annotators of how well the partition cut by `predictions`
 * covers the annotator's partition of 0..n−1 (`n` samples). Predictions are cleaned first.
 */
export function coverScore(annotations: Annotations, predictions: readonly number[], n: number): number {
  const sets = annotatorSets(annotations);
  const predicted = segmentsOf(cleanPredictions(predictions, n), n);
  if (sets.length === 0) return coverOf(predicted, segmentsOf([], n), n);
  let sum = 0;
  for (const set of sets) sum += coverOf(predicted, segmentsOf(set, n), n);
  return sum / sets.length;
}
