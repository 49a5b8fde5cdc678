// Advice records shaped like the advisory engine's (control/advisory AdvicePayload), for this sink's
// tests; kept here because a sink may not import control code.

import type { ControlRecord } from '../../core/sink.ts';

/**
 * One advice record of episode `<kind>:<rig>:<device>:<raisedMs>` at `ts` (epoch ms): an active one
 * suggests +20 % fan; a cleared one has no delta and cause 'condition_ended'. `extra` overrides payload fields.
 */
export function adviceRecord(
  rig: string,
  ts: number,
  kind: string,
  device: string,
  state: 'active' | 'cleared',
  raisedMs: number,
  extra: Readonly<Record<string, unknown>> = {},
): ControlRecord {
  const cleared = state === 'cleared';
  const payload = {
    id: `${kind}:${rig}:${device}:${raisedMs}`,
    state,
    kind,
    target: { rig, device: device === '*' ? null : device, board: null },
    delta: cleared ? null : { setpoint: 'fan_pct', by: 20, unit: '%' },
    reason: cleared ? 'The fan turns again.' : 'The fan of gpu0 reads 0 rpm at 91.5 °C.',
    evidence: { fan_rpm: 0, gpu_temp_c: 91.5, sep_score: 0.4375 },
    ttl_ms: 900_000,
    severity: 'warning',
    raised_ms: raisedMs,
    cause: cleared ? 'condition_ended' : null,
    ...extra,
  };
  return { kind: 'advice', rig, ts, payload };
}
