// An independent audit of the guard rails over one rig's action records: it recomputes bounds, steps
// (guard curve included), intervals, cooldowns, the hourly cap and busy/rupture rules from what was fed.

import type { AutotuneOptions } from '../../src/control/autotune/index.ts';
import type { SetpointKind, SetpointLimits } from '../../src/core/actuator.ts';
import type { ControlRecord } from '../../src/core/sink.ts';
import { type GuardMetrics, throttleFactor } from '../../src/kernel/guards/index.ts';

/** What the feeder saw of the device when an action was intended (same order as `intended` records). */
export interface AuditContext {
  readonly ts: number;
  readonly current: GuardMetrics | null;
  readonly previous: GuardMetrics | null;
  readonly ruptureClass: string | null;
  readonly lastScoreMs: number | null;
  /** Fan duty of the device's latest snapshot, %: what an automatic fan (`from` null) stood at. */
  readonly fanPct: number | null;
}

/** One rig with one controlled device, as the audit needs it. */
export interface AuditInput {
  readonly id: string;
  readonly device: string;
  readonly options: AutotuneOptions;
  readonly limits: Readonly<Partial<Record<SetpointKind, SetpointLimits>>>;
  readonly records: readonly ControlRecord[];
  readonly contexts: readonly AuditContext[];
  /** Times of the device's macro-rupture score ticks. */
  readonly macroMs: readonly number[];
  /** The power limit the device actually held, one value per tick. */
  readonly limitTrace: readonly number[];
}

const EPS = 1e-6;
const HOUR_MS = 3_600_000;

/** Configured ∩ device range of a set-point (computed here, not with the controller's helper). */
export function allowedRange(
  device: SetpointLimits,
  configured?: { readonly min?: number; readonly max?: number },
): { min: number; max: number; step?: number } {
  return {
    min: Math.max(device.min, configured?.min ?? -Infinity),
    max: Math.min(device.max, configured?.max ?? Infinity),
    step: device.step,
  };
}

/** What a null (default / automatic) value stands at for step arithmetic, from the device's own data. */
function referenceOf(
  kind: SetpointKind,
  limits: SetpointLimits | undefined,
  ctx: AuditContext | undefined,
): number | null {
  if (limits?.default != null) return limits.default;
  if (kind === 'fan_pct') return ctx?.fanPct ?? null;
  if (kind === 'profile_step') return 0;
  return limits?.max ?? null;
}

interface Payload {
  readonly id: string | null;
  readonly device: string;
  readonly setpoint: SetpointKind;
  readonly from: number | null;
  readonly to: number | null;
  readonly purpose: string;
  readonly status: string;
}

/** Every guard-rail violation found, one sentence each (empty = none). */
export function auditGuardRails(a: AuditInput): string[] {
  const o = a.options;
  const bad: string[] = [];
  const actions = a.records.filter((r) => r.kind === 'action');
  const intended = actions.filter((r) => (r.payload as unknown as Payload).status === 'intended');
  if (intended.length !== a.contexts.length)
    bad.push(`${a.id}: ${intended.length} intents, ${a.contexts.length} contexts`);
  const writeEnds = actions
    .filter((r) => ['verified', 'failed', 'rolled_back'].includes((r.payload as unknown as Payload).status))
    .map((r) => r.ts);
  const cooldownStarts = actions
    .filter((r) => ['failed', 'rolled_back'].includes((r.payload as unknown as Payload).status))
    .map((r) => r.ts);
  for (const m of a.macroMs) {
    const lastWrite = writeEnds.filter((t) => t <= m).at(-1);
    if (lastWrite === undefined || m > lastWrite + o.settle_ms) cooldownStarts.push(m);
  }
  const tuneTimes: number[] = [];
  const open = new Set<string>();
  let ci = 0;
  for (const r of actions) {
    const p = r.payload as unknown as Payload;
    if (p.status === 'validated' || p.status === 'rolled_back') open.delete(String(p.id));
    if (p.status !== 'intended') continue;
    const ctx = a.contexts[ci++];
    if (p.purpose === 'restore') continue;
    const at = `${a.id} ${new Date(r.ts).toISOString()} ${p.setpoint} ${p.from}→${p.to}`;
    const v = (why: string) => bad.push(`${at}: ${why}`);
    if (!o.setpoints.includes(p.setpoint)) v('set-point not enabled');
    const limits = a.limits[p.setpoint];
    const from = p.from ?? referenceOf(p.setpoint, limits, ctx);
    if (limits === undefined || p.to === null || from === null) {
      v('no device limits or a null value');
      continue;
    }
    const range = allowedRange(limits, o.bounds[p.setpoint]);
    if (p.to < range.min - EPS || p.to > range.max + EPS) v(`outside [${range.min}, ${range.max}]`);
    if (
      range.step !== undefined &&
      Math.abs((p.to - limits.min) / range.step - Math.round((p.to - limits.min) / range.step)) > EPS
    )
      v(`off the device grid of ${range.step}`);
    const delta = Math.abs(p.to - from);
    const factor = ctx?.current == null ? 0 : throttleFactor(ctx.current, ctx.previous);
    if (delta > o.max_step[p.setpoint] + EPS) v(`step ${delta} over max_step ${o.max_step[p.setpoint]}`);
    if (delta > o.max_step[p.setpoint] * factor + EPS)
      v(`step ${delta} over the guard-scaled ${o.max_step[p.setpoint] * factor}`);
    if (delta < o.min_step[p.setpoint] - EPS) v(`step ${delta} under min_step`);
    if (ctx?.ruptureClass == null || ctx.ruptureClass === 'meso' || ctx.ruptureClass === 'macro')
      v(`rupture class ${ctx?.ruptureClass ?? 'unknown'}`);
    if (ctx?.lastScoreMs == null || r.ts - ctx.lastScoreMs > o.stale_ms) v('stale score');
    const prev = tuneTimes.at(-1);
    if (prev !== undefined && r.ts - prev < o.min_interval_ms)
      v(`only ${(r.ts - prev) / 1000} s after the previous action`);
    const inHour = tuneTimes.filter((t) => t > r.ts - HOUR_MS).length + 1;
    if (inHour > o.max_actions_per_hour) v(`${inHour} actions within an hour`);
    const cd = cooldownStarts.filter((t) => t <= r.ts && r.ts < t + o.cooldown_ms);
    if (cd.length > 0) v(`inside a cooldown that started ${(r.ts - Math.max(...cd)) / 1000} s earlier`);
    if (open.size >= o.max_concurrent_actions) v(`${open.size} action(s) still open`);
    open.add(String(p.id));
    tuneTimes.push(r.ts);
  }
  const pl = a.limits.power_limit_w;
  if (pl !== undefined && o.setpoints.includes('power_limit_w')) {
    const range = allowedRange(pl, o.bounds.power_limit_w);
    const out = a.limitTrace.filter((w) => w < range.min - EPS || w > range.max + EPS).length;
    if (out > 0) bad.push(`${a.id}: power limit outside [${range.min}, ${range.max}] for ${out} s`);
  }
  return bad;
}
