// The efficiency search on one set-point as a pure state machine: a perturb-and-observe hill climb whose
// every step is judged by the controller's efficiency interval; it reverses and halves when worse.

import type { ActionOutcome, OutcomeCause, SetpointProposal, StrategyView } from '../autotune/index.ts';
import type { SearchOptions } from './options.ts';

/**
 * How one finished step is read: `better` (interval above 0, committed), `worse` (interval below 0,
 * and if rolled back, for efficiency alone), `flat` (committed, interval spans 0), `blocked` (rolled
 * back or failed for something else: heat, rejects, HW errors, no data, a fault scored during the
 * watch, a write that did not take), `interrupted` (ended from outside: mode, kill switch, shutdown,
 * journal — not a verdict on the step at all).
 */
export type Verdict = 'better' | 'worse' | 'flat' | 'blocked' | 'interrupted';

/** Causes that end an action without saying anything about its set-point. */
const INTERRUPTIONS: ReadonlySet<OutcomeCause> = new Set(['mode', 'kill_switch', 'shutdown', 'journal']);

/** The search's memory of one (device, set-point). Plain data, replaced on every outcome. */
export interface SearchState {
  /** Direction of the next step: −1 down, +1 up. */
  readonly dir: -1 | 1;
  /** Intended step in the set-point's unit; null before the first outcome (the rails' max step). */
  readonly step: number | null;
  /** Consecutive better steps (two in a row double the step). */
  readonly successes: number;
  /** Times the pending step has been retried after a blocked outcome. */
  readonly retries: number;
  /** Flat steps taken before any gain (plateau walk). */
  readonly flats: number;
  /** A significant gain was seen in this search. */
  readonly anyGain: boolean;
  /** Judged steps so far. */
  readonly moves: number;
  readonly lastVerdict: Verdict | null;
  /** The next step goes back to the better point the last committed step left; then it converges. */
  readonly returning: boolean;
  /** When the step fell below the resolution (epoch ms); null while searching. */
  readonly convergedAtMs: number | null;
}

export function initialSearchState(o: Pick<SearchOptions, 'initial_direction'>): SearchState {
  return {
    dir: o.initial_direction,
    step: null,
    successes: 0,
    retries: 0,
    flats: 0,
    anyGain: false,
    moves: 0,
    lastVerdict: null,
    returning: false,
    convergedAtMs: null,
  };
}

/**
 * Reads an outcome: the interval decides, never the point estimate alone, and a change smaller than
 * `minEffect` (fraction) counts as none even when significant (95 % intervals over dozens of steps
 * would otherwise turn the search on noise now and then). A rollback is `worse` only when the
 * efficiency test failed with the interval below 0 and no fault was scored during the watch
 * (`macro_rupture`): any other cause, or that one too, leaves the step untried (`blocked`).
 */
export function classifyOutcome(o: ActionOutcome, minEffect = 0): Verdict {
  if (o.causes.some((c) => INTERRUPTIONS.has(c))) return 'interrupted';
  const ci = o.efficiencyCiRel;
  const diff = o.efficiencyDiffRel;
  if (o.result === 'failed' || ci === null || diff === null) return 'blocked';
  const worse = ci[1] < 0 && diff <= -minEffect;
  if (o.result === 'rolled_back')
    return worse && o.causes.includes('efficiency') && !o.causes.includes('macro_rupture')
      ? 'worse'
      : 'blocked';
  if (worse) return 'worse';
  return ci[0] > 0 && diff >= minEffect ? 'better' : 'flat';
}

/** The smallest step worth taking on this view: the resolution, the rails' min step, the device grid. */
export function resolutionOf(view: StrategyView, resolution: number): number {
  return Math.max(resolution, view.minStep, view.bounds.step ?? 0);
}

function clampTo(view: StrategyView, x: number): number {
  return Math.min(view.bounds.max, Math.max(view.bounds.min, x));
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * The next step from `view.current`, or null (converged, or nothing to do). At a bound the search
 * turns back with half a step, unless it arrived there with a gain (the optimum is the bound).
 */
export function proposeStep(
  s: SearchState,
  view: StrategyView,
  o: Pick<SearchOptions, 'recheck_ms'>,
  resolution: number,
): SetpointProposal | null {
  const res = resolutionOf(view, resolution);
  const cur = view.current;
  if (s.convergedAtMs !== null) {
    if (o.recheck_ms === null || view.nowMs < s.convergedAtMs + o.recheck_ms) return null;
    const probe = clampTo(view, cur + s.dir * 2 * res);
    if (Math.abs(probe - cur) < res) return null;
    return { value: probe, reason: `re-check ${fmt(probe - cur)} around the converged ${fmt(cur)}` };
  }
  if (s.step !== null && s.step < res) return null;
  const step = wholeStep(view, Math.min(s.step ?? view.maxStep, view.maxStep));
  if (step < res) return null;
  const target = clampTo(view, cur + s.dir * step);
  if (Math.abs(target - cur) >= res) return { value: target, reason: reasonFor(s, target - cur) };
  // At a bound in the search direction.
  if (s.lastVerdict === 'better') return null;
  const back = clampTo(view, cur - s.dir * Math.max(res, wholeStep(view, step / 2)));
  if (Math.abs(back - cur) < res) return null;
  return {
    value: back,
    reason: `bound ${fmt(target)} reached; turning back by ${fmt(Math.abs(back - cur))}`,
  };
}

/** Without a device grid, steps are whole units (no 179.5 W limits); the gate snaps to a grid itself. */
function wholeStep(view: StrategyView, step: number): number {
  return view.bounds.step === undefined && step >= 1 ? Math.floor(step + 1e-9) : step;
}

function reasonFor(s: SearchState, delta: number): string {
  const by = `${delta < 0 ? 'down' : 'up'} ${fmt(Math.abs(delta))}`;
  if (s.lastVerdict === null) return `efficiency search: first step ${by}`;
  if (s.retries > 0) return `efficiency search: retry ${by} (previous try ${s.lastVerdict})`;
  return `efficiency search: step ${by} (previous step ${s.lastVerdict})`;
}

/**
 * The state after a finished action of this (device, set-point). Restores, moves of unknown numeric
 * value and interrupted actions are ignored. A move against the search direction (a bounce, a manual
 * change) is judged as a move in its own direction.
 */
export function applyOutcome(
  prev: SearchState,
  o: ActionOutcome,
  opts: Pick<SearchOptions, 'max_retries' | 'max_flat_moves' | 'min_effect'>,
  resolution: number,
): SearchState {
  if (o.purpose === 'restore' || o.from === null || o.to === null || o.to === o.from) return prev;
  const verdict = classifyOutcome(o, opts.min_effect);
  if (verdict === 'interrupted') return prev;
  let s = prev;
  if (s.convergedAtMs !== null)
    s = {
      ...s,
      convergedAtMs: null,
      step: 2 * resolution,
      successes: 0,
      retries: 0,
      flats: 0,
      anyGain: true,
    };
  const moveDir: -1 | 1 = o.to > o.from ? 1 : -1;
  const moveStep = Math.abs(o.to - o.from);
  if (moveDir !== s.dir) s = { ...s, dir: moveDir, successes: 0 };
  // The rails may have shortened the step (guard curve, bounds): what moved is the step judged.
  const step = Math.min(s.step ?? moveStep, moveStep);
  const judged: SearchState = { ...s, step, moves: s.moves + 1, lastVerdict: verdict, returning: false };
  // The way back from a committed worse step at the finest resolution: done, wherever it landed.
  if (s.returning) return { ...judged, convergedAtMs: o.ts };
  const turn = (): SearchState => {
    const half = step / 2;
    if (half < resolution && verdict === 'worse' && o.result === 'validated')
      return {
        ...judged,
        dir: -moveDir as -1 | 1,
        step: moveStep,
        successes: 0,
        retries: 0,
        returning: true,
      };
    return {
      ...judged,
      dir: -moveDir as -1 | 1,
      step: half,
      successes: 0,
      retries: 0,
      // Before any gain the plateau allowance is spent once: every later flat step turns and halves.
      flats: s.anyGain ? 0 : s.flats,
      convergedAtMs: half < resolution ? o.ts : null,
    };
  };
  const retry = (): SearchState => ({ ...judged, retries: s.retries + 1 });
  switch (verdict) {
    case 'better': {
      // Two significant gains in a row double the step (a false turn on noise regrows it).
      const successes = s.successes + 1;
      const grow = successes >= 2;
      return {
        ...judged,
        step: grow ? 2 * step : step,
        successes: grow ? 0 : successes,
        retries: 0,
        flats: 0,
        anyGain: true,
      };
    }
    case 'flat':
      if (!s.anyGain)
        return s.flats < opts.max_flat_moves ? { ...judged, retries: 0, flats: s.flats + 1 } : turn();
      // On a slope found earlier, an inconclusive step that still points up is followed (same step).
      return (o.efficiencyDiffRel ?? 0) > 0 ? { ...judged, retries: 0 } : turn();
    case 'worse':
      return turn();
    default:
      return s.retries < opts.max_retries ? retry() : turn();
  }
}
