// The optimizer as the auto-tune controller's SetpointStrategy: thermal safety first (fan to targets,
// power fallback when the fan is saturated), then the noise-aware efficiency search per set-point.

import type { SetpointKind } from '../../core/actuator.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { ActionOutcome, SetpointProposal, SetpointStrategy, StrategyView } from '../autotune/index.ts';
import { type OptimizerOptions, type OptimizerOptionsInput, parseOptimizerOptions } from './options.ts';
import { applyOutcome, initialSearchState, proposeStep, type SearchState } from './search.ts';
import { isHot, proposeFallback, proposeFan, ThermalTracker } from './thermal.ts';

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

/** A SetpointStrategy that also takes the rig's snapshots (temperatures, fan, draw) each tick. */
export interface Optimizer extends SetpointStrategy {
  observe(outcome: ActionOutcome): void;
  /** Feed every tick's snapshots of the rig before (or with) the controller's `onTick`. */
  ingest(snapshots: readonly Snapshot[]): void;
  status(): SearchStatus[];
}

const key = (device: string, kind: SetpointKind) => `${device}\u0000${kind}`;

const offerKey = (device: string, fromValue: number) => `${device}\u0000${fromValue}`;

/** A power limit this far (fraction, plus the resolution) above the draw does not bind. */
const UNBOUND_FRAC = 0.05;

/**
 * Builds the optimizer for one rig (device names are its keys: feed it that rig's snapshots only).
 * Throws RT_CONFIG_INVALID for bad options. `propose` decides nothing it would regret if refused: it
 * only memoises the fan's upper bound it is shown and the moves it offers outside the search;
 * `observe` and `ingest` update the state.
 */
export function createOptimizer(input?: OptimizerOptionsInput): Optimizer {
  const o: OptimizerOptions = parseOptimizerOptions(input);
  const kinds = new Set<SetpointKind>(o.search.kinds);
  const states = new Map<string, SearchState>();
  const thermal = new ThermalTracker(o.thermal);
  const ceilings = new Map<string, number>();
  const fanMax = new Map<string, number>();
  /**
   * Moves offered outside the search (thermal fallback, lowering a limit that sits above the draw), by
   * device and the value they start from: `observe` tells them from search steps by that. Keyed by the
   * start value because `propose` is asked again (from the new value) while the action is validated.
   */
  const offered = new Map<string, { readonly to: number; readonly why: 'fallback' | 'draw' }>();
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

  const offer = (view: StrategyView, p: SetpointProposal, why: 'fallback' | 'draw') => {
    offered.set(offerKey(view.device, view.current), { to: p.value, why });
    return p;
  };

  const takeOffered = (x: ActionOutcome): 'fallback' | 'draw' | null => {
    if (x.kind !== 'power_limit_w' || x.from === null || x.to === null) return null;
    const f = offered.get(offerKey(x.device, x.from));
    for (const k of [...offered.keys()]) if (k.startsWith(`${x.device}\u0000`)) offered.delete(k);
    return f !== undefined && x.to < x.from && x.to >= f.to - 1e-9 ? f.why : null;
  };

  return {
    name: 'optimizer',
    propose(view: StrategyView): SetpointProposal | null {
      const t = thermal.get(view.device);
      if (view.kind === 'fan_pct') {
        fanMax.set(view.device, view.bounds.max);
        return o.thermal.enabled ? proposeFan(view, t, o.thermal) : null;
      }
      const power = view.kind === 'power_limit_w';
      if (power && o.thermal.enabled) {
        const fallback = proposeFallback(view, t, o.thermal, fanMax.get(view.device));
        if (fallback !== null) return offer(view, fallback, 'fallback');
      }
      if (!kinds.has(view.kind)) return null;
      if (power) {
        const down = toDraw(view, t?.powerW ?? null);
        if (down !== null) return offer(view, down, 'draw');
        offered.delete(offerKey(view.device, view.current));
      }
      let v = view;
      const ceiling = power ? ceilingOf(view.device, view.nowMs) : null;
      if (ceiling !== null && ceiling < view.bounds.max && ceiling >= view.bounds.min)
        v = { ...view, bounds: { ...view.bounds, max: ceiling } };
      const p = proposeStep(stateOf(view.device, view.kind), v, o.search, resolution(view.kind));
      // While hot with a fan that can still help, only steps that shed heat.
      if (p !== null && o.thermal.enabled && isHot(t, o.thermal) && p.value > view.current) return null;
      return p;
    },

    observe(outcome: ActionOutcome): void {
      const { device, kind } = outcome;
      const why = takeOffered(outcome);
      if (why !== null) {
        // Not a search step: a fallback sets the power ceiling; a cut to the draw changed nothing.
        if (why === 'fallback' && outcome.result === 'validated' && outcome.to !== null)
          ceilings.set(device, outcome.to);
        return;
      }
      if (!kinds.has(kind)) return;
      states.set(key(device, kind), applyOutcome(stateOf(device, kind), outcome, o.search, resolution(kind)));
    },

    ingest(snapshots: readonly Snapshot[]): void {
      for (const s of snapshots)
        thermal.add(s.device, {
          ts: s.ts,
          temps: { temp_core_c: s.temp_core_c, temp_mem_c: s.temp_mem_c, temp_chip_max_c: s.temp_chip_max_c },
          fanPct: s.fan_pct,
          fanRpm: s.fan_rpm,
          powerW: s.power_w,
        });
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
