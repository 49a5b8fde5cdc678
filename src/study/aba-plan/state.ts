// The state of one A-B-A study as `<data_dir>/studies/<id>/study.json` holds it: the plan, each device's
// phase and phase start times, baseline and treatment set-points, status and reasons. Parsed strictly.

import { z } from 'zod';
import { SETPOINT_KINDS } from '../../core/actuator.ts';
import { RigtuneError } from '../../core/errors.ts';
import { ABA_PHASES } from './marker.ts';

/** Version of the study.json layout; a file of another version is refused. */
export const STUDY_FILE_VERSION = 1;

/** A study id: what a folder name and a Parquet string may safely hold. */
export const STUDY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const PhaseTimes = z.strictObject({
  A1: z.number().optional(),
  B: z.number().optional(),
  A2: z.number().optional(),
  end: z.number().optional(),
});

const SetpointState = z.strictObject({
  kind: z.enum(SETPOINT_KINDS),
  /** The value read at the start of A1 (null = the device's default / automatic). */
  baseline: z.number().nullable(),
  /** The B value (null: auto-tune decides during B). */
  target: z.number().nullable(),
});

const DeviceState = z.strictObject({
  rig: z.string().min(1),
  device: z.string().min(1),
  phase: z.enum(ABA_PHASES),
  started_ms: PhaseTimes,
  setpoints: z.array(SetpointState).min(1),
});

const StudyEvent = z.strictObject({
  ts_ms: z.number(),
  rig: z.string().nullable(),
  device: z.string().nullable(),
  /** rupture, verify_failed, apply_failed, waiting, resumed, paused, aborted, restored, mode… */
  kind: z.string().min(1),
  detail: z.string(),
});

export const StudyFileSchema = z.strictObject({
  version: z.literal(STUDY_FILE_VERSION),
  study_id: z.string().regex(STUDY_ID_RE),
  status: z.enum(['running', 'done', 'aborted']),
  created_ms: z.number(),
  updated_ms: z.number(),
  plan: z.strictObject({
    rigs: z.array(z.string().min(1)).min(1),
    /** `rig/device` names asked for; null = every controllable device of the rigs. */
    devices: z.array(z.string().min(1)).nullable(),
    treatment: z.string().min(1),
    durations_ms: z.strictObject({
      A1: z.number().positive(),
      B: z.number().positive(),
      A2: z.number().positive(),
    }),
  }),
  /** Auto-tune studies: each rig's mode before B, restored for A2. */
  modes_before: z.record(z.string(), z.enum(['off', 'advise', 'auto'])),
  devices: z.array(DeviceState).min(1),
  /** Why the study ended early (or could not do something); empty for a clean run. */
  reasons: z.array(z.string()),
  events: z.array(StudyEvent),
});

export type StudyFile = z.output<typeof StudyFileSchema>;
export type StudyDevice = StudyFile['devices'][number];
export type StudyEvent = StudyFile['events'][number];
export type StudyStatus = StudyFile['status'];

/** Parses study.json text; throws RT_STUDY_STATE naming `file` and the first problem. */
export function parseStudyFile(text: string, file: string): StudyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RigtuneError('RT_STUDY_STATE', `${file}: not JSON (${(err as Error).message})`, { file });
  }
  const r = StudyFileSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map(String).join('.');
  throw new RigtuneError('RT_STUDY_STATE', `${file}: ${path === '' ? '' : `${path}: `}${issue.message}`, {
    file,
    field: path,
  });
}
