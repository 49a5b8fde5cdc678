// One pass over a recorded trace shared by every rig's replay source: a poll at trace time T takes its
// rig's records up to T in file order; records of other rigs read on the way wait in their rig's queue.

import { RigtuneError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { Source, SourceContext } from '../core/source.ts';
import { recordSnapshot, type TraceRecord } from '../traces/index.ts';
import type { TraceScan } from './replay-trace.ts';

/** Most records one poll hands over (a trace behind its clock catches up in batches of this size). */
export const MAX_RECORDS_PER_POLL = 10_000;

/**
 * Reads the trace once, in file order. A record is due when its time is at or before the poll's time,
 * so pacing follows the file order: a file sorted by time (as `rigtune sim --out` writes) replays at
 * its own pace; in a file written device after device, a later device's records are all due at once
 * when the reader reaches them (and wait in memory until their rig's next poll).
 */
export class ReplayFeed {
  readonly #scan: TraceScan;
  readonly #queues = new Map<string, TraceRecord[]>();
  #iterator: AsyncIterator<TraceRecord> | null = null;
  #head: TraceRecord | null = null;
  #eof = false;
  #failed = false;
  #emitted = 0;
  #reachedMs: number | null = null;
  #lock: Promise<unknown> = Promise.resolve();
  #resolveDone!: () => void;
  #rejectDone!: (err: unknown) => void;
  /** Resolves once every record has been handed to a poll; rejects with the error of a bad read. */
  readonly done: Promise<void>;

  constructor(scan: TraceScan) {
    this.#scan = scan;
    for (const rig of scan.rigs.keys()) this.#queues.set(rig, []);
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // The owner awaits `done`; this keeps a rejection from being reported as unhandled meanwhile.
    this.done.catch(() => {});
  }

  /** Records handed to polls so far. */
  get emitted(): number {
    return this.#emitted;
  }

  /** Time of the latest record handed out or read ahead, epoch ms; null before the first. */
  get reachedMs(): number | null {
    return this.#reachedMs;
  }

  /**
   * The records of `rig` with time ≤ `nowMs` (trace time) not handed out yet, in file order, at most
   * MAX_RECORDS_PER_POLL. After a read error it returns nothing and `done` rejects with the error.
   */
  take(rig: string, nowMs: number): Promise<Snapshot[]> {
    const next = this.#lock.then(() => this.#take(rig, nowMs));
    this.#lock = next;
    return next;
  }

  /** Stops reading the file (the reader closes it). Idempotent. */
  async close(): Promise<void> {
    const it = this.#iterator;
    this.#iterator = null;
    this.#eof = true;
    await it?.return?.();
  }

  async #take(rig: string, nowMs: number): Promise<Snapshot[]> {
    if (this.#failed) return [];
    try {
      await this.#readUntil(rig, nowMs);
    } catch (err) {
      this.#failed = true;
      this.#rejectDone(err);
      return [];
    }
    const queue = this.#queues.get(rig) ?? [];
    const out = queue.splice(0, MAX_RECORDS_PER_POLL);
    this.#emitted += out.length;
    if (this.#eof && this.#head === null && [...this.#queues.values()].every((q) => q.length === 0))
      this.#resolveDone();
    return out.map((r) => recordSnapshot(r, this.#scan.fields));
  }

  /** Moves due records from the file into their rig's queue, stopping at the first one not due yet. */
  async #readUntil(rig: string, nowMs: number): Promise<void> {
    const own = this.#queues.get(rig);
    while (!this.#eof && (own === undefined || own.length < MAX_RECORDS_PER_POLL)) {
      if (this.#head === null) {
        this.#iterator ??= this.#scan.reader.records()[Symbol.asyncIterator]();
        const r = await this.#iterator.next();
        if (r.done === true) {
          this.#eof = true;
          break;
        }
        this.#head = r.value;
      }
      const head = this.#head;
      if (head.ts > nowMs) break;
      const queue = this.#queues.get(head.rig);
      if (queue === undefined)
        throw new RigtuneError(
          'RT_INPUT_PARSE',
          `rig '${head.rig}' was not in the trace when it was checked: the file changed during the replay`,
          { file: this.#scan.reader.path, line: head.line },
        );
      queue.push(head);
      this.#head = null;
      if (this.#reachedMs === null || head.ts > this.#reachedMs) this.#reachedMs = head.ts;
    }
  }
}

/**
 * One rig of a replayed trace as a Source, so the replay runs through the service's own ingest,
 * scoring and sinks exactly as `rigtune run` does. Each poll holds the replay clock while it reads,
 * and emits its rig's records due at the poll's trace time, with the trace's own timestamps.
 */
export class ReplaySource implements Source {
  readonly kind = 'replay';
  readonly rig: string;
  readonly #feed: ReplayFeed;
  readonly #hold: () => () => void;
  readonly #devices: readonly string[];

  /** `hold` stops the replay clock until its returned release is called (ReplayClock.hold). */
  constructor(rig: string, feed: ReplayFeed, hold: () => () => void, devices: readonly string[]) {
    this.rig = rig;
    this.#feed = feed;
    this.#hold = hold;
    this.#devices = devices;
  }

  async poll(ctx: SourceContext): Promise<void> {
    const release = this.#hold();
    try {
      for (const s of await this.#feed.take(this.rig, ctx.clock.nowMs())) ctx.emit(s);
    } finally {
      release();
    }
  }

  devices(): { device: string }[] {
    return this.#devices.map((device) => ({ device }));
  }

  async close(): Promise<void> {}
}
