// Pure readers of Braiins OS public-API replies: the power target in force (tuner-state) and the
// power-target constraints, tolerant of the shapes seen (REST snake_case, uint64 watts as strings).

import type { SetpointLimits } from '../../../core/actuator.ts';

type Json = Record<string, unknown>;

function recordOf(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** A whole, non-negative number of watts: a number or (protobuf JSON uint64) a numeric string. */
function wattOf(power: unknown): number | null {
  const w = recordOf(power)?.watt;
  const n = typeof w === 'number' ? w : typeof w === 'string' && /^\d+$/.test(w.trim()) ? Number(w) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** What tuner-state says about the power target. */
export type TunerTarget =
  | { readonly kind: 'power'; readonly watt: number }
  /** No power target in force; `why` says what the tuner does instead. */
  | { readonly kind: 'none'; readonly why: string }
  /** The reply is not a tuner-state the driver understands. */
  | { readonly kind: 'unknown'; readonly why: string };

/**
 * The power target in force from `GET /api/v1/performance/tuner-state`. The REST API wraps the mode
 * in `mode_state` (OpenAPI `GetTunerStateResponse`); wire-formats §3.4 lists `powertargetmodestate`
 * at the top level, so both are read.
 */
export function tunerTargetOf(reply: unknown): TunerTarget {
  const r = recordOf(reply);
  if (r === null) return { kind: 'unknown', why: 'tuner-state reply is not a JSON object' };
  const mode = recordOf(r.mode_state) ?? r;
  const power = recordOf(mode.powertargetmodestate);
  if (power !== null) {
    const watt = wattOf(power.current_target);
    if (watt !== null) return { kind: 'power', watt };
    return { kind: 'unknown', why: 'powertargetmodestate has no current_target.watt' };
  }
  if (recordOf(mode.hashratetargetmodestate) !== null)
    return { kind: 'none', why: 'the tuner runs in hashrate-target mode' };
  if (typeof r.overall_tuner_state === 'number')
    return {
      kind: 'none',
      why: `the tuner reports no target mode (overall_tuner_state ${r.overall_tuner_state})`,
    };
  return { kind: 'unknown', why: 'tuner-state reply has neither mode_state nor overall_tuner_state' };
}

/**
 * Power-target limits from `GET /api/v1/configuration/constraints`
 * (`tuner_constraints.power_target.{min,max,default}.watt`), step 1 W; null when absent or inverted.
 */
export function powerTargetLimitsOf(reply: unknown): SetpointLimits | null {
  const power = recordOf(recordOf(recordOf(reply)?.tuner_constraints)?.power_target);
  if (power === null) return null;
  const min = wattOf(power.min);
  const max = wattOf(power.max);
  if (min === null || max === null || min > max) return null;
  return { min, max, step: 1, default: wattOf(power.default) };
}
