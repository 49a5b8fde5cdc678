// Simple set-point strategies until the optimizer plugs in: one that never proposes (manual and
// advisory use), and a one-direction descent that keeps stepping while each step is a significant gain.

import type { SetpointKind } from '../../core/actuator.ts';
import type { SetpointProposal, SetpointStrategy, StrategyView } from './ports.ts';

/** Never proposes: the controller then only validates manual set-points and restores. */
export const noStrategy: SetpointStrategy = {
  name: 'none',
  propose: () => null,
};

/** Options of {@link stepDescent}. */
export interface StepDescentOptions {
  /** Set-points to move; others get no proposal. */
  readonly kinds: readonly SetpointKind[];
  /** −1: lower (power limit, clocks), +1: raise (fan). */
  readonly direction: -1 | 1;
}

/**
 * Moves each set-point by one full step in `direction` as long as the previous step of this device and
 * set-point was validated with a significant efficiency gain; stops for good at the first step that
 * was rolled back, failed or gained nothing significant (the next search is the optimizer's job).
 */
export function stepDescent(options: StepDescentOptions): SetpointStrategy {
  const kinds = new Set(options.kinds);
  return {
    name: options.direction < 0 ? 'step-down' : 'step-up',
    propose(view: StrategyView): SetpointProposal | null {
      if (!kinds.has(view.kind)) return null;
      const last = view.history.at(-1);
      if (last !== undefined && !(last.result === 'validated' && last.improved)) return null;
      const edge = options.direction < 0 ? view.bounds.min : view.bounds.max;
      if (Math.abs(view.current - edge) < view.minStep) return null;
      const value = view.current + options.direction * view.maxStep;
      const why =
        last === undefined
          ? 'first step'
          : `previous step gained ${((last.efficiencyDiffRel ?? 0) * 100).toFixed(2)} % efficiency`;
      return {
        value,
        reason: `${options.direction < 0 ? 'lower' : 'raise'} ${view.kind} by ${view.maxStep}: ${why}`,
      };
    },
  };
}
