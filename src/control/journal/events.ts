// The action journal's line format: one JSON object per line, an action's life as events (intended →
// applied → verified → validated | rolled_back, or failed on the way), plus header and LKG checkpoints.

import { z } from 'zod';
import { ACTION_PURPOSES, FAILURE_PHASES, type IntendedAction, type MarkEvent } from '../../core/action.ts';
import { SETPOINT_KINDS, type SetpointKind } from '../../core/actuator.ts';

export {
  ACTION_PURPOSES,
  ACTION_STATUSES,
  type ActionPurpose,
  type ActionStatus,
  FAILURE_PHASES,
  type FailurePhase,
  type IntendedAction,
  type MarkEvent,
} from '../../core/action.ts';

/** A set-point last committed by validation, per (rig, device, kind). */
export interface LastKnownGood {
  readonly rig: string;
  readonly device: string;
  readonly kind: SetpointKind;
  readonly value: number | null;
  /** The action that validated it, and when (epoch ms). */
  readonly id: string;
  readonly ts: number;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const value = finite.nullable();
const id = z.string().min(1);
const kind = z.enum(SETPOINT_KINDS);

const LineSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), version: z.literal(1), next_seq: z.number().int().min(1) }),
  z.strictObject({
    type: z.literal('intended'),
    id,
    ts: finite,
    rig: z.string().min(1),
    device: z.string().min(1),
    kind,
    from: value,
    to: value,
    reason: z.string(),
    purpose: z.enum(ACTION_PURPOSES),
  }),
  z.strictObject({ type: z.literal('applied'), id, ts: finite }),
  z.strictObject({ type: z.literal('verified'), id, ts: finite, readback: value }),
  z.strictObject({
    type: z.literal('failed'),
    id,
    ts: finite,
    phase: z.enum(FAILURE_PHASES),
    error: z.string(),
  }),
  z.strictObject({ type: z.literal('validated'), id, ts: finite }),
  z.strictObject({ type: z.literal('rolled_back'), id, ts: finite, reason: z.string() }),
  z.strictObject({
    type: z.literal('lkg'),
    rig: z.string().min(1),
    device: z.string().min(1),
    kind,
    value,
    id,
    ts: finite,
  }),
]);

/** One journal line, decoded. */
export type JournalLine =
  | { readonly type: 'header'; readonly version: 1; readonly next_seq: number }
  | ({ readonly type: 'intended'; readonly id: string } & IntendedAction)
  | MarkEvent
  | ({ readonly type: 'lkg' } & LastKnownGood);

/** Decodes one line; a string saying what is wrong when it is not a valid journal line. */
export function decodeLine(text: string): JournalLine | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = LineSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `${issue.path.join('.') || 'line'}: ${issue.message}`;
}

/** Encodes one line (no newline). */
export function encodeLine(line: JournalLine): string {
  return JSON.stringify(line);
}

/** The numeric sequence of an id `a<seq>`, or null for ids of another form. */
export function seqOf(actionId: string): number | null {
  const m = /^a(\d+)$/.exec(actionId);
  return m === null ? null : Number(m[1]);
}
