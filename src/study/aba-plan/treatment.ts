// Parsing an A-B-A treatment (`power_limit_w=250`, `power_limit_w=-20`, `autotune`) and resolving it to a
// target set-point from a device's baseline, with the refusal reason when it cannot be resolved.

import { SETPOINT_KINDS, type SetpointKind } from '../../core/actuator.ts';
import { RigtuneError } from '../../core/errors.ts';

/**
 * A set-point treatment: `value` is absolute, or (`relative`) a signed change from the baseline; both
 * in the set-point's unit. `autotune`: the rig's auto-tune runs in mode `auto` during B.
 */
export type Treatment =
  | {
      readonly type: 'setpoint';
      readonly kind: SetpointKind;
      readonly value: number;
      readonly relative: boolean;
      readonly text: string;
    }
  | { readonly type: 'autotune'; readonly text: 'autotune' };

const SETPOINT_RE = /^([a-z_]+)=([+-]?)(\d+(?:\.\d+)?)$/;

/**
 * Parses `text`: `<kind>=<value>` (absolute), `<kind>=+<n>` / `<kind>=-<n>` (change from the baseline),
 * or `autotune`. Throws RT_CLI_USAGE naming the accepted forms.
 */
export function parseTreatment(text: string): Treatment {
  const t = text.trim();
  if (t === 'autotune') return { type: 'autotune', text: 'autotune' };
  const m = SETPOINT_RE.exec(t);
  const kinds = SETPOINT_KINDS.join(', ');
  if (m === null)
    throw new RigtuneError(
      'RT_CLI_USAGE',
      `--treatment: '${text}' is not <setpoint>=<value>, <setpoint>=±<change> or autotune (set-points: ${kinds})`,
      { field: 'treatment' },
    );
  const kind = m[1] as SetpointKind;
  if (!(SETPOINT_KINDS as readonly string[]).includes(kind))
    throw new RigtuneError('RT_CLI_USAGE', `--treatment: unknown set-point '${m[1]}' (known: ${kinds})`, {
      field: 'treatment',
    });
  const relative = m[2] !== '';
  const value = Number(m[3]) * (m[2] === '-' ? -1 : 1);
  return { type: 'setpoint', kind, value, relative, text: `${kind}=${m[2]}${m[3]}` };
}

/** The B set-point of a set-point treatment from the baseline `reference` (its numeric value). */
export function treatmentTarget(t: Extract<Treatment, { type: 'setpoint' }>, reference: number): number {
  return t.relative ? reference + t.value : t.value;
}
