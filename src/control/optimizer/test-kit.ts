// Test doubles for the optimizer's unit tests: a seeded PRNG, and a closed loop that runs the search
// against a noisy efficiency curve through the real gate shaping and the real validation statistics.

import type { SetpointKind } from '../../core/actuator.ts';
import type { ActionOutcome, OutcomeCause, StrategyView, WindowSummary } from '../autotune/index.ts';
import { shapeTarget, validateAction } from '../autotune/index.ts';
import { DEFAULT_OPTIMIZER_OPTIONS, type SearchOptions } from './options.ts';
import { applyOutcome, initialSearchState, proposeStep, type SearchState } from './search.ts';

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from `rand`. */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A view of one power limit for `proposeStep`, with the rails' defaults. */
export function powerView(current: number, over: Partial<StrategyView> = {}): StrategyView {
  return {
    rig: 'r',
    device: 'gpu0',
    kind: 'power_limit_w',
    current,
    atDefault: false,
    bounds: { min: 200, max: 700 },
    maxStep: 25,
    minStep: 5,
    lastKnownGood: null,
    history: [],
    snapshot: null,
    score: null,
    nowMs: 0,
    ...over,
  };
}

/** The causes the controller would give: efficiency when the interval is under −1 %, else heat; a failed write. */
function causesOf(result: ActionOutcome['result'], diff: number | null, halfWidth: number): OutcomeCause[] {
  if (result === 'validated') return [];
  if (result === 'failed') return ['verify'];
  if (diff === null) return ['insufficient_data'];
  return diff - halfWidth < -0.01 ? ['efficiency'] : ['temperature'];
}

/**
 * An outcome of a power-limit step (fractions for the efficiency change and its interval); `causes`
 * default to what the controller would report for such a window (see `causesOf`).
 */
export function outcome(
  from: number,
  to: number,
  result: ActionOutcome['result'],
  diff: number | null,
  halfWidth = 0.001,
  kind: SetpointKind = 'power_limit_w',
  causes: readonly OutcomeCause[] = causesOf(result, diff, halfWidth),
): ActionOutcome {
  return {
    id: 'a',
    device: 'gpu0',
    kind,
    from,
    to,
    purpose: 'tune',
    result,
    improved: diff !== null && diff - halfWidth > 0,
    efficiencyDiffRel: diff,
    efficiencyCiRel: diff === null ? null : [diff - halfWidth, diff + halfWidth],
    causes,
    tag: null,
    ts: 0,
  };
}

export interface LoopOptions {
  /** True efficiency at a set-point (any positive unit). */
  readonly curve: (x: number) => number;
  readonly bounds: { readonly min: number; readonly max: number; readonly step?: number };
  readonly start: number;
  readonly maxStep: number;
  readonly minStep: number;
  /** Relative noise of one 30 s block mean, e.g. 0.003. */
  readonly noise: number;
  readonly seed: number;
  /** Guard-curve factor the gate scales the step by (default 0.9). */
  readonly factor?: number;
  readonly maxActions?: number;
  readonly search?: Partial<SearchOptions>;
  /** Action numbers (0-based) whose watch is spoiled by a fault: efficiency −40 % after, a rupture scored. */
  readonly faults?: readonly number[];
}

export interface LoopResult {
  readonly final: number;
  readonly actions: number;
  readonly rollbacks: number;
  /** Every value the search proposed, and the gated targets. */
  readonly proposals: readonly number[];
  readonly targets: readonly number[];
  readonly state: SearchState;
  /** The gate refused a proposal (the search would be stuck proposing it). */
  readonly stuck: boolean;
}

const TEMPS = { temp_core_c: null, temp_mem_c: null, temp_chip_max_c: null };

function window(level: number, blocks: number, noise: number, rand: () => number): WindowSummary {
  const efficiencyBlocks = Array.from({ length: blocks }, () => level * (1 + noise * normal(rand)));
  return {
    startMs: 0,
    endMs: 0,
    samples: blocks * 30,
    efficiencyBlocks,
    shares: 0,
    rejected: 0,
    hwErrors: 0,
    hwSeconds: 0,
    maxBlockTempC: TEMPS,
  };
}

/**
 * Runs the search until it proposes nothing: each step is shaped like the gate, judged like the
 * controller (10 baseline and 10 watch blocks, Welch interval at 95 %, 1 % non-inferiority margin)
 * and committed or rolled back.
 */
export function runSearchLoop(l: LoopOptions): LoopResult {
  const rand = seededRandom(l.seed);
  const opts: SearchOptions = { ...DEFAULT_OPTIMIZER_OPTIONS.search, ...l.search };
  const res = opts.resolution.power_limit_w;
  let state = initialSearchState(opts);
  let current = l.start;
  let rollbacks = 0;
  let actions = 0;
  let stuck = false;
  const proposals: number[] = [];
  const targets: number[] = [];
  const settings = {
    minBlocks: 4,
    confidence: 0.95,
    efficiencyMargin: 0.01,
    rejectAlpha: 0.01,
    hwErrorAlpha: 0.01,
    tempLimitsC: TEMPS,
    coolingTempMarginC: 1,
    hardTempMarginC: 5,
  };
  for (let i = 0; i < (l.maxActions ?? 60); i++) {
    const nowMs = i * 600_000;
    const view = powerView(current, { bounds: l.bounds, maxStep: l.maxStep, minStep: l.minStep, nowMs });
    const p = proposeStep(state, view, opts, res);
    if (p === null) break;
    proposals.push(p.value);
    const shaped = shapeTarget(current, p.value, l.bounds, l.maxStep * (l.factor ?? 0.9), l.minStep);
    if (!shaped.ok) {
      stuck = true;
      break;
    }
    targets.push(shaped.to);
    actions++;
    const spoiled = l.faults?.includes(i) === true ? 0.6 : 1;
    const pre = window(l.curve(current), 10, l.noise, rand);
    const post = window(l.curve(shaped.to) * spoiled, 10, l.noise, rand);
    const report = validateAction(pre, post, settings);
    const e = report.efficiency;
    const result = report.decision === 'commit' ? 'validated' : 'rolled_back';
    if (result === 'rolled_back') rollbacks++;
    const causes: OutcomeCause[] = [
      ...report.failed_tests,
      ...(spoiled < 1 ? ['macro_rupture' as const] : []),
    ];
    const o: ActionOutcome = {
      ...outcome(current, shaped.to, result, e?.diff_rel ?? null),
      causes,
      improved: report.improved,
      efficiencyCiRel: e === null ? null : [e.ci_lo_rel, e.ci_hi_rel],
      ts: nowMs,
    };
    if (result === 'validated') current = shaped.to;
    state = applyOutcome(state, o, opts, res);
  }
  return { final: current, actions, rollbacks, proposals, targets, state, stuck };
}

/** The best value of `curve` on a 1-unit grid over [min, max]. */
export function bestOf(curve: (x: number) => number, min: number, max: number): number {
  let best = curve(min);
  for (let x = min; x <= max; x++) best = Math.max(best, curve(x));
  return best;
}
