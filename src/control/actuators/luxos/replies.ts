// Pure readers of LuxOS replies (wire-formats §3.5): the session id of `logon`, the power target and
// its range from `atm`, the profile table of `profiles`, each board's profile from `devs`.

import type { SetpointLimits } from '../../../core/actuator.ts';

type Json = Record<string, unknown>;

function recordOf(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function rowsOf(reply: unknown, section: string): Json[] {
  const rows = recordOf(reply)?.[section];
  return Array.isArray(rows) ? rows.map(recordOf).filter((r): r is Json => r !== null) : [];
}

/** An integer from a number or an integer string (`"Step": "-16"`); null otherwise. */
function integerOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** `SESSION[0].SessionID` of a `logon` reply, or null when there is none (or it is empty). */
export function sessionIdOf(reply: unknown): string | null {
  const id = rowsOf(reply, 'SESSION')[0]?.SessionID;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** `VERSION[0].Type` (e.g. "Antminer S19k Pro"), or null. */
export function modelOf(reply: unknown): string | null {
  const type = rowsOf(reply, 'VERSION')[0]?.Type;
  return typeof type === 'string' && type.trim() !== '' ? type.trim() : null;
}

/** The power-target state `atm` shows on models in power-targeting mode, W. */
export interface PowerTargetState {
  readonly targetW: number;
  readonly minW: number;
  readonly limitW: number;
}

/** PowerTarget / PowerMin / PowerLimit of `ATM[0]`; null when the model has no power targeting. */
export function powerTargetOf(reply: unknown): PowerTargetState | null {
  const atm = rowsOf(reply, 'ATM')[0];
  if (atm === undefined) return null;
  const targetW = integerOf(atm.PowerTarget);
  const minW = integerOf(atm.PowerMin);
  const limitW = integerOf(atm.PowerLimit);
  if (targetW === null || minW === null || limitW === null || minW > limitW) return null;
  return { targetW, minW, limitW };
}

/** One row of `profiles`. */
export interface LuxosProfileRow {
  readonly name: string;
  /** Signed step from the stock profile; null for a profile without one (custom profiles). */
  readonly step: number | null;
  /** The profile's estimated power, W, or null. */
  readonly watts: number | null;
}

/** The rows of `PROFILES` that have a name. */
export function profilesOf(reply: unknown): LuxosProfileRow[] {
  const out: LuxosProfileRow[] = [];
  for (const row of rowsOf(reply, 'PROFILES')) {
    const name = row['Profile Name'];
    if (typeof name !== 'string' || name === '') continue;
    out.push({ name, step: integerOf(row.Step), watts: integerOf(row.Watts) });
  }
  return out;
}

/** The profile with step 0 is stock; LuxOS names it "default" (profileset docs). */
export function stockProfileOf(profiles: readonly LuxosProfileRow[]): LuxosProfileRow | null {
  return profiles.find((p) => p.name === 'default') ?? profiles.find((p) => p.step === 0) ?? null;
}

/** The range of `profile_step`: lowest to highest step listed, step 1, default 0; null when none. */
export function profileStepLimitsOf(profiles: readonly LuxosProfileRow[]): SetpointLimits | null {
  const steps = profiles.map((p) => p.step).filter((s): s is number => s !== null);
  if (steps.length === 0) return null;
  return { min: Math.min(...steps), max: Math.max(...steps), step: 1, default: 0 };
}

/** The name of the profile at `step`, or null when the table has none there. */
export function profileNameAt(profiles: readonly LuxosProfileRow[], step: number): string | null {
  if (step === 0) return stockProfileOf(profiles)?.name ?? null;
  return profiles.find((p) => p.step === step)?.name ?? null;
}

/** The step of the profile named `name` ("default" is step 0), or null when it has none. */
export function profileStepOf(profiles: readonly LuxosProfileRow[], name: string): number | null {
  if (name === 'default') return 0;
  return profiles.find((p) => p.name === name)?.step ?? null;
}

/** One board of `devs`: its ASC index (0-based) and the profile it runs. */
export interface BoardProfile {
  readonly asc: number;
  readonly profile: string | null;
}

/** `DEVS[].{ASC, Profile}` (rows without an ASC index are skipped). */
export function boardProfilesOf(reply: unknown): BoardProfile[] {
  const out: BoardProfile[] = [];
  for (const row of rowsOf(reply, 'DEVS')) {
    const asc = integerOf(row.ASC ?? row.ID);
    if (asc === null || asc < 0) continue;
    out.push({ asc, profile: typeof row.Profile === 'string' && row.Profile !== '' ? row.Profile : null });
  }
  return out;
}
