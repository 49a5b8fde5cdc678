// The Source shell every mapper-based source shares: read replies, map them (pure), log warnings,
// emit raw fields and snapshots, remember the devices seen. The reading function is the source's own.

import { type ErrorWhere, RigtuneError, SourceError } from '../../core/errors.ts';
import type { DeviceInfo, Source, SourceContext } from '../../core/source.ts';
import { emitResult, type MapResult } from './map-result.ts';

/** What `create(options, deps)` of a source is handed by the runtime (or a test). */
export interface SourceDeps {
  /** Rig name the snapshots carry. */
  readonly rig: string;
  /** Environment for `{ env: NAME }` secret references; default: none (a reference then fails). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives mapping warnings (unknown unit, missing key); the runtime rate-limits and logs them. */
  readonly warn?: (message: string, where: ErrorWhere) => void;
  /**
   * Receives routine facts worth a line at info, never a warning (a miner's expected reply format,
   * such as a trailing NUL); `sources probe` prints them as notes.
   */
  readonly note?: (message: string, where: ErrorWhere) => void;
}

/** Reads once and maps: the part of a source that differs between sources. */
export type ReadAndMap = (ctx: SourceContext) => Promise<MapResult>;

/** A Source made of a kind, a rig and a read-and-map function. */
export class MappedSource implements Source {
  readonly kind: string;
  readonly rig: string;
  /** Suggested poll interval, ms (the scheduler's cadence hint from the options). */
  readonly intervalMs: number;
  readonly #read: ReadAndMap;
  readonly #warn: SourceDeps['warn'];
  #devices: readonly DeviceInfo[] = [];
  #closed = false;

  constructor(kind: string, deps: SourceDeps, intervalMs: number, read: ReadAndMap) {
    this.kind = kind;
    this.rig = deps.rig;
    this.intervalMs = intervalMs;
    this.#read = read;
    this.#warn = deps.warn;
  }

  /** Reads, maps and emits; throws the reader's SourceError unchanged ('unsupported' once closed). */
  async poll(ctx: SourceContext): Promise<void> {
    if (this.#closed)
      throw new SourceError('unsupported', `Source ${this.kind} is closed`, { rig: this.rig });
    const result = await this.#read(ctx);
    for (const w of result.warnings) this.#warn?.(w, { rig: this.rig });
    emitResult(ctx, result);
    this.#devices = result.devices;
  }

  devices(): readonly DeviceInfo[] {
    return this.#devices;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/**
 * The value of a `{ env: NAME }` secret reference. Throws RT_CONFIG_INVALID naming the variable
 * (never a value) when it is unset or empty.
 */
export function resolveSecret(ref: { readonly env: string }, env: SourceDeps['env'], field: string): string {
  const value = env?.[ref.env];
  if (value === undefined || value === '')
    throw new RigtuneError('RT_CONFIG_INVALID', `Environment variable ${ref.env} is not set`, { field });
  return value;
}
