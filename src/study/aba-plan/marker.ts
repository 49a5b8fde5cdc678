// The A-B-A phase marker as `study run` writes it: the contract type of study/aba (the analysis reads
// it), with the set-point kind narrowed to the actuator's kinds. One per device per phase start, plus `end`.

import type { SetpointKind } from '../../core/actuator.ts';
import type { AbaMarker as ContractMarker } from '../aba/index.ts';
import { ABA_MARKER_PHASES } from '../aba/index.ts';

/** Phases of an A-B-A study in order; `end` marks the end of A2 (or of an aborted study). */
export const ABA_PHASES = ABA_MARKER_PHASES;
export type AbaPhase = (typeof ABA_PHASES)[number];

/**
 * One device entering one phase. `ts_ms` is when the phase's set-point was verified on the device
 * (epoch ms); `setpoint` is the value the phase holds (A1/A2: the baseline, B: the treatment), null when
 * the phase holds none fixed (B of an `autotune` study, `end`). Assignable to study/aba's AbaMarker.
 */
export interface AbaMarker extends ContractMarker {
  readonly phase: AbaPhase;
  readonly setpoint: { readonly kind: SetpointKind; readonly value: number | null } | null;
}
