// The guard rails of an action, each a small pure check with its reason: bounds (configured ∩ device),
// step size scaled by the guard curve, minimum interval, rupture class, cooldown and the hourly cap.

import type { SetpointLimits } from '../../core/actuator.ts';
import type { RuptureClass, ScoreTick } from '../../core/scores.ts';
import { type GuardMetrics, throttleFactor } from '../../kernel/guards/index.ts';

/** Which guard refused (stable names: they appear in records, the API and docs/control-policy.md). */
export type GuardName =
  | 'kill_switch'
  | 'journal'
  | 'busy'
  | 'concurrency'
  | 'stale'
  | 'rupture'
  | 'cooldown'
  | 'min_interval'
  | 'hourly_cap'
  | 'baseline'
  | 'bounds'
  | 'throttle'
  | 'max_step'
  | 'no_change';

export type GuardVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly guard: GuardName; readonly reason: string };

export const PASS: GuardVerdict = { ok: true };
const HOUR_MS = 3_600_000;

export function refuse(guard: GuardName, reason: string): { ok: false; guard: GuardName; reason: string } {
  return { ok: false, guard, reason };
}

/** An allowed range, in the set-point's unit, with the device's grid when it has one. */
export interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly step?: number;
}

/** Configured limits ∩ device limits; null when they do not overlap. */
export function intersectBounds(
  device: SetpointLimits,
  configured?: { readonly min?: number; readonly max?: number },
): Bounds | null {
  const min = Math.max(device.min, configured?.min ?? Number.NEGATIVE_INFINITY);
  const max = Math.min(device.max, configured?.max ?? Number.POSITIVE_INFINITY);
  if (!(min <= max)) return null;
  return device.step === undefined ? { min, max } : { min, max, step: device.step };
}

/** No action while the device's rupture class is meso or macro (or unknown: no score yet). */
export function checkRupture(cls: RuptureClass | null): GuardVerdict {
  if (cls === null) return refuse('rupture', 'no score for the device yet');
  if (cls === 'meso' || cls === 'macro') return refuse('rupture', `rupture class is ${cls}`);
  return PASS;
}

/** At least `minIntervalMs` since the device's previous action. */
export function checkMinInterval(
  lastActionMs: number | null,
  nowMs: number,
  minIntervalMs: number,
): GuardVerdict {
  if (lastActionMs === null || nowMs - lastActionMs >= minIntervalMs) return PASS;
  const waitS = Math.ceil((lastActionMs + minIntervalMs - nowMs) / 1000);
  return refuse(
    'min_interval',
    `previous action ${Math.round((nowMs - lastActionMs) / 1000)} s ago; ${waitS} s to wait`,
  );
}

/** No action before a cooldown (after a rollback or a macro rupture) ends. */
export function checkCooldown(cooldownUntilMs: number | null, nowMs: number): GuardVerdict {
  if (cooldownUntilMs === null || nowMs >= cooldownUntilMs) return PASS;
  return refuse('cooldown', `cooling down for ${Math.ceil((cooldownUntilMs - nowMs) / 1000)} s more`);
}

/** Fewer than `cap` actions in the 60 minutes up to now (times in epoch ms). */
export function checkHourlyCap(actionTimesMs: readonly number[], nowMs: number, cap: number): GuardVerdict {
  let n = 0;
  for (const t of actionTimesMs) if (t > nowMs - HOUR_MS && t <= nowMs) n++;
  return n < cap ? PASS : refuse('hourly_cap', `${n} actions in the last hour (cap ${cap})`);
}

/** The device's latest score is at most `staleMs` old. */
export function checkFresh(lastScoreMs: number | null, nowMs: number, staleMs: number): GuardVerdict {
  if (lastScoreMs !== null && nowMs - lastScoreMs <= staleMs) return PASS;
  return refuse(
    'stale',
    lastScoreMs === null
      ? 'no score yet'
      : `latest score is ${Math.round((nowMs - lastScoreMs) / 1000)} s old`,
  );
}

/** The guard curve's inputs from a score (null until the scorer has structure metrics). */
export function guardMetricsOf(tick: ScoreTick | null): GuardMetrics | null {
  const s = tick?.structure;
  if (s === null || s === undefined) return null;
  return {
    entropy: s.entropy,
    coherence: s.coherence,
    stability: s.stability,
    rupture: s.rupture,
    lambda_hazard: tick!.lambda_hazard,
  };
}

/** The step this action may take: `maxStep × throttleFactor(current, previous)`, with the factor. */
export function scaledStep(
  maxStep: number,
  current: GuardMetrics | null,
  previous: GuardMetrics | null,
): { readonly factor: number; readonly step: number } {
  const factor = current === null ? 0 : throttleFactor(current, previous);
  return { factor, step: maxStep * factor };
}

/** Result of shaping a proposal into an action target. */
export type ShapedTarget = { readonly ok: true; readonly to: number } | Extract<GuardVerdict, { ok: false }>;

/**
 * Turns a proposed value into a target that lies in `bounds`, moves at most `allowedStep` from `from`
 * and sits on the device grid (rounded toward `from`). `exact` (manual set-points) refuses instead of
 * shortening a step. A change smaller than `minStep` is refused: not worth an action.
 */
export function shapeTarget(
  from: number,
  proposed: number,
  bounds: Bounds,
  allowedStep: number,
  minStep: number,
  exact = false,
): ShapedTarget {
  if (!Number.isFinite(proposed)) return refuse('bounds', `proposed value ${proposed} is not a number`);
  const range = `[${bounds.min}, ${bounds.max}]`;
  if (exact && (proposed < bounds.min || proposed > bounds.max))
    return refuse('bounds', `${proposed} is outside the allowed range ${range}`);
  let to = Math.min(bounds.max, Math.max(bounds.min, proposed));
  if (Math.abs(to - from) > allowedStep + 1e-9) {
    if (exact)
      return refuse(
        'max_step',
        `a change of ${fmt(Math.abs(to - from))} exceeds the allowed step ${fmt(allowedStep)}`,
      );
    // Without a device grid a shortened step is cut to whole units (no 332.49 W set-points).
    const step = bounds.step === undefined && allowedStep >= 1 ? Math.floor(allowedStep + 1e-9) : allowedStep;
    to = from + Math.sign(to - from) * step;
    if (to < bounds.min || to > bounds.max)
      return refuse('bounds', `${from} is outside ${range} by more than one step of ${fmt(allowedStep)}`);
  }
  if (bounds.step !== undefined && bounds.step > 0) {
    const k = (to - bounds.min) / bounds.step;
    const snapped = bounds.min + (to < from ? Math.ceil(k - 1e-9) : Math.floor(k + 1e-9)) * bounds.step;
    if (exact && Math.abs(snapped - to) > 1e-9)
      return refuse('bounds', `${proposed} is not on the device grid of ${bounds.step} from ${bounds.min}`);
    to = snapped;
    if (to > bounds.max) to -= bounds.step;
    if (to < bounds.min) to += bounds.step;
  }
  // Whatever the arithmetic did, the invariants hold or nothing happens.
  if (to < bounds.min || to > bounds.max)
    return refuse('bounds', `no value on the device grid lies in ${range}`);
  if (Math.abs(to - from) > allowedStep + 1e-9)
    return refuse('max_step', `no value on the device grid lies within ${fmt(allowedStep)} of ${from}`);
  const delta = Math.abs(to - from);
  if (delta < minStep || delta === 0)
    return refuse(
      allowedStep < minStep ? 'throttle' : 'no_change',
      `a change of ${fmt(delta)} is below the minimum step ${fmt(minStep)} (allowed step ${fmt(allowedStep)})`,
    );
  return { ok: true, to };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
