// The one matching rule of every evaluation: which detected time (an event, an advice, a predicted change
// point) answers which labelled window. The backtest and the TCPD F1 both go through matchWindows.

/** A labelled window that accepts detections at times in [fromT, toT] (inclusive), anchored at the onset. */
export interface MatchWindow {
  readonly fromT: number;
  readonly toT: number;
  /** The labelled onset: 'nearest' measures distance from it; windows are visited in anchor order. */
  readonly anchor: number;
}

export interface MatchRule {
  /** 'first': the earliest time in the window; 'nearest': the time closest to the anchor (tie: the earlier). */
  readonly pick: 'first' | 'nearest';
  /** true: a time answers at most one window (it is used up); false: it may answer several. */
  readonly exclusive: boolean;
}

/** First index of `sorted` (ascending) with value ≥ x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For each window, the index (into `times`) of the time that answers it, or null. Windows are visited
 * in ascending anchor order (ties: input order); with `exclusive`, a time that answered one window is
 * not offered to later ones. Units are the caller's (ms, sample indices) as long as they agree.
 */
export function matchWindows(
  windows: readonly MatchWindow[],
  times: readonly number[],
  rule: MatchRule,
): Array<number | null> {
  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const sorted = order.map((i) => times[i]);
  const used = new Uint8Array(sorted.length);
  const result: Array<number | null> = windows.map(() => null);
  const visit = windows.map((_, i) => i).sort((a, b) => windows[a].anchor - windows[b].anchor || a - b);
  for (const w of visit) {
    const { fromT, toT, anchor } = windows[w];
    let best = -1;
    for (let k = lowerBound(sorted, fromT); k < sorted.length && sorted[k] <= toT; k += 1) {
      if (used[k] === 1) continue;
      if (rule.pick === 'first') {
        best = k;
        break;
      }
      if (best < 0 || Math.abs(sorted[k] - anchor) < Math.abs(sorted[best] - anchor)) best = k;
    }
    if (best < 0) continue;
    if (rule.exclusive) used[best] = 1;
    result[w] = order[best];
  }
  return result;
}

/** True for each time that falls inside at least one window (for false alarms: those that are false). */
export function insideAnyWindow(windows: readonly MatchWindow[], times: readonly number[]): boolean[] {
  const spans = [...windows].sort((a, b) => a.fromT - b.fromT);
  return times.map((t) => spans.some((w) => w.fromT <= t && t <= w.toT));
}
