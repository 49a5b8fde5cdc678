// The optimizer as the auto-tune controller's SetpointStrategy: thermal safety first (fan to targets,
// power fallback when the fan is saturated), then the noise-aware efficiency search per set-point.

import type { SetpointKind } from '../../core/actuator.ts';
import type { ActionOutcome, SetpointProposal, SetpointStrategy, StrategyView } from '../autotune/index.ts';
import { type OptimizerOptions, type OptimizerOptionsInput, parseOptimizerOptions } from './options.ts';
import { applyOutcome, initialSearchState, proposeStep, type SearchState } from './search.ts';
import { isHot, proposeFallback, proposeFan, readingOf, ThermalTracker } from './thermal.ts';

/** Where one device's search stands (for status, logs and the bench). */
export interface SearchStatus {
  readonly device: string;
  readonly kind: SetpointKind;
  readonly phase: 'searching' | 'converged';
  readonly dir: -1 | 1;
  readonly step: number | null;
  readonly moves: number;
  readonly convergedAtMs: number | null;
  /** A power ceiling set by the thermal fallback, W; null when none holds. */
  readonly ceiling: number | null;
}

/** The optimizer's SetpointStrategy, with its search state for status pages and the bench. */
export interface Optimizer extends SetpointStrategy {
  observe(outcome: ActionOutcome): void;
  status(): SearchStatus[];
}

/**
 * The kind of move a proposal is, as its tag (echoed by the controller in the outcome): only `search`
 * steps (and untagged, i.e. manual, moves) teach the search; a validated `fallback` sets the ceiling.
 */
export const MOVE_TAGS = ['fan', 'fallback', 'draw', 'search'] as const;
export type MoveTag = (typeof MOVE_TAGS)[number];

const key = (device: string, kind: SetpointKind) => `${device}\u0000${kind}`;

/** A power limit this far (fraction, plus the resolution) above the draw does not bind. */
const UNBOUND_FRAC = 0.05;

function tagged(p: SetpointProposal | null, tag: MoveTag): SetpointProposal | null {
  return p === null ? null : { ...p, tag };
}

/**
 * Builds the optimizer for one rig (device names are its keys). Throws RT_CONFIG_INVALID for bad
 * options. `propose` keeps the readings of the view's snapshot (smoothed temperatures, fan, draw) and
 * the fan's upper bound it is shown; `observe` updates the search and the fallback's ceiling.
 */
export function createOptimizer(input?: OptimizerOptionsInput): Optimizer {
  const o: OptimizerOptions = parseOptimizerOptions(input);
  const kinds = new Set<SetpointKind>(o.search.kinds);
  const states = new Map<string, SearchState>();
  const thermal = new ThermalTracker(o.thermal);
  const ceilings = new Map<string, number>();
  const fanMax = new Map<string, number>();
  const resolution = (kind: SetpointKind) => o.search.resolution[kind as keyof typeof o.search.resolution];
  const stateOf = (device: string, kind: SetpointKind) =>
    states.get(key(device, kind)) ?? initialSearchState(o.search);

  /** The fallback's ceiling while it holds (released after `release_ms` below every target). */
  const ceilingOf = (device: string, nowMs: number): number | null => {
    const c = ceilings.get(device);
    if (c === undefined) return null;
    const cool = thermal.get(device)?.coolSinceMs ?? null;
    return cool !== null && nowMs - cool >= o.thermal.release_ms ? null : c;
  };

  /** A limit well above the smoothed draw binds nothing: bring it down to just above the draw. */
  const toDraw = (view: StrategyView, drawW: number | null): SetpointProposal | null => {
    const res = Math.max(resolution(view.kind), view.minStep);
    if (drawW === null || !(drawW < view.current * (1 - UNBOUND_FRAC) - res)) return null;
    const value = Math.max(view.bounds.min, Math.ceil(drawW) + res);
    if (view.current - value < view.minStep) return null;
    return {
      value,
      reason: `the limit ${view.current} W is above the draw of ${Math.round(drawW)} W: lowering it changes nothing but the headroom`,
    };
  };

  return {
    name: 'optimizer',
    propose(view: StrategyView): SetpointProposal | null {
      if (view.snapshot !== null) thermal.add(view.device, readingOf(view.snapshot));
      const t = thermal.get(view.device);
      if (view.kind === 'fan_pct') {
        fanMax.set(view.device, view.bounds.max);
        return o.thermal.enabled ? tagged(proposeFan(view, t, o.thermal), 'fan') : null;
      }
      const power = view.kind === 'power_limit_w';
      if (power && o.thermal.enabled) {
        const fallback = proposeFallback(view, t, o.thermal, fanMax.get(view.device));
        if (fallback !== null) return tagged(fallback, 'fallback');
      }
      if (!kinds.has(view.kind)) return null;
      if (power) {
        const down = toDraw(view, t?.powerW ?? null);
        if (down !== null) return tagged(down, 'draw');
      }
      let v = view;
      const ceiling = power ? ceilingOf(view.device, view.nowMs) : null;
      if (ceiling !== null && ceiling < view.bounds.max && ceiling >= view.bounds.min)
        v = { ...view, bounds: { ...view.bounds, max: ceiling } };
      const p = proposeStep(stateOf(view.device, view.kind), v, o.search, resolution(view.kind));
      // While hot with a fan that can still help, only steps that shed heat.
      if (p !== null && o.thermal.enabled && isHot(t, o.thermal) && p.value > view.current) return null;
      return tagged(p, 'search');
    },

    observe(outcome: ActionOutcome): void {
      const { device, kind, tag } = outcome;
      // A validated fallback cut is the power ceiling; a cut to the draw changed nothing; fan moves are
      // the thermal controller's. None of them is a search step.
      if (tag === 'fallback' && outcome.result === 'validated' && outcome.to !== null)
        ceilings.set(device, outcome.to);
      if (tag === 'fallback' || tag === 'draw' || tag === 'fan' || !kinds.has(kind)) return;
      states.set(key(device, kind), applyOutcome(stateOf(device, kind), outcome, o.search, resolution(kind)));
    },

    status(): SearchStatus[] {
      const out: SearchStatus[] = [];
      for (const [k, s] of states) {
        const [device, kind] = k.split('\u0000') as [string, SetpointKind];
        out.push({
          device,
          kind,
          phase: s.convergedAtMs !== null ? 'converged' : 'searching',
          dir: s.dir,
          step: s.step,
          moves: s.moves,
          convergedAtMs: s.convergedAtMs,
          ceiling: kind === 'power_limit_w' ? (ceilings.get(device) ?? null) : null,
        });
      }
      return out.sort((a, b) => (a.device + a.kind < b.device + b.kind ? -1 : 1));
    },
  };
}
