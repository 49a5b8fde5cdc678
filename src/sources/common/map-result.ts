// What a pure mapper returns (snapshots, raw fields, device facts, warnings) and the small builder
// the GPU-miner mappers share, so every source reports the same way and emits in one place.

import { emptySnapshot, type NumericField, type Snapshot } from '../../core/snapshot.ts';
import type { DeviceInfo, SourceContext } from '../../core/source.ts';

/** Device name of a source's rig-level snapshot (miner totals, pool latency). */
export const RIG_TOTAL_DEVICE = 'total';

/** A value read but not a snapshot field (miner's own percentages, versions), for `ctx.raw`. */
export interface RawField {
  readonly device: string;
  readonly field: string;
  readonly value: string | number | boolean | null;
}

/** The outcome of mapping one reply (or one set of replies) of a source. */
export interface MapResult {
  readonly snapshots: readonly Snapshot[];
  readonly raw: readonly RawField[];
  readonly devices: readonly DeviceInfo[];
  /** Things read but distrusted or missing (unknown unit, absent key); the source logs them. */
  readonly warnings: readonly string[];
}

/** Collects a MapResult: one snapshot per device, filled field by field. */
export class MapResultBuilder {
  readonly #ts: number;
  readonly #rig: string;
  readonly #values = new Map<string, Partial<Record<NumericField, number | null>>>();
  readonly #raw: RawField[] = [];
  readonly #devices = new Map<string, DeviceInfo>();
  readonly #warnings: string[] = [];

  constructor(ts: number, rig: string) {
    this.#ts = ts;
    this.#rig = rig;
  }

  /** Sets numeric fields of `device` (created on first use); later calls overwrite per field. */
  set(device: string, values: Partial<Record<NumericField, number | null>>): void {
    const current = this.#values.get(device) ?? {};
    this.#values.set(device, { ...current, ...values });
  }

  /** Records a raw field; undefined values are skipped, objects are not accepted. */
  raw(device: string, field: string, value: string | number | boolean | null | undefined): void {
    if (value !== undefined) this.#raw.push({ device, field, value });
  }

  /** Records what is known about a device (merged with earlier facts). */
  device(info: DeviceInfo): void {
    const known = this.#devices.get(info.device);
    const merged: DeviceInfo = { ...known, ...stripUndefined(info) };
    this.#devices.set(info.device, merged);
    if (!this.#values.has(info.device)) this.#values.set(info.device, {});
  }

  warn(message: string): void {
    this.#warnings.push(message);
  }

  /** True when a snapshot for `device` exists already. */
  has(device: string): boolean {
    return this.#values.has(device);
  }

  /** The fields set so far for `device`, or undefined when it has none. */
  get(device: string): Readonly<Partial<Record<NumericField, number | null>>> | undefined {
    return this.#values.get(device);
  }

  build(): MapResult {
    const snapshots = [...this.#values].map(([device, values]) => ({
      ...emptySnapshot(this.#ts, this.#rig, device),
      ...values,
    }));
    return { snapshots, raw: this.#raw, devices: [...this.#devices.values()], warnings: this.#warnings };
  }
}

function stripUndefined(info: DeviceInfo): DeviceInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as DeviceInfo;
}

/** Hands a MapResult to the poll context: raw fields first, then the snapshots. */
export function emitResult(ctx: SourceContext, result: MapResult): void {
  if (ctx.raw) for (const r of result.raw) ctx.raw(r.device, r.field, r.value);
  for (const s of result.snapshots) ctx.emit(s);
}
