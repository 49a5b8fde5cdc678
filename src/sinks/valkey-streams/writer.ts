// The collector's stream writer: append() stamps each rig poll with the collector's sequence and queues
// it; one loop sends the queue per partition (one script call each, pipelined) or, while Valkey is
// unreachable, spools it to disk and later replays the spool in order before anything newer.

import type { Clock } from '../../core/clock.ts';
import type { RigTickBatch, Sink, SinkHealth } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { encodeEntry, nextSeq, pollEntries } from './entry.ts';
import { type ScaleKeys, scaleKeys } from './keys.ts';
import type { StreamWriterOptions } from './options.ts';
import { partitionOf } from './partition.ts';
import { sendEntries, setupPartitions } from './send.ts';
import { type EntrySpool, type Outgoing, openSpoolLogged } from './spool.ts';
import { SYSTEM_CLOCK } from './system-clock.ts';
import { emptyWriterStats, type ScriptPort, type StreamWriterDeps, type StreamWriterStats } from './types.ts';

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The writer; README.md describes the entry, the sequence rule and the guarantees. */
export class StreamWriter implements Sink {
  readonly name = 'valkey-streams';
  readonly #o: StreamWriterOptions;
  readonly #port: ScriptPort;
  readonly #log: StreamWriterDeps['logger'];
  readonly #clock: Clock;
  readonly #keys: ScaleKeys;
  readonly #stats: StreamWriterStats = emptyWriterStats();
  readonly #closingCtl = new AbortController();
  readonly #stop = new AbortController();
  /** Rig → its settings hash; hash → settings JSON (written to `rig-config` before any entry). */
  readonly #rigCfg = new Map<string, string>();
  readonly #configs = new Map<string, string>();
  readonly #opened: Promise<void>;
  readonly #loop: Promise<void>;
  #queue: Outgoing[] = [];
  #inflight: Outgoing[] | null = null;
  #spool: EntrySpool | null = null;
  #spooling = false;
  #setupDone = false;
  #seq = 0;
  #failing = false;
  #lastError: string | null = null;
  #dropped = 0;
  #backoffMs = 50;
  #wakeUp: (() => void) | null = null;
  #idleWaiters: Array<() => void> = [];
  #closing = false;
  #closed: Promise<void> | null = null;

  constructor(options: StreamWriterOptions, deps: StreamWriterDeps) {
    this.#o = options;
    this.#port = deps.port;
    this.#log = deps.logger.child({ component: 'sink.valkey-streams' });
    this.#clock = deps.clock ?? SYSTEM_CLOCK;
    this.#keys = scaleKeys(options.key_prefix, options.namespace);
    this.#opened = this.#openSpool();
    this.#loop = this.#opened.then(() => this.#run());
  }

  /** Registers a rig's settings (hash and JSON); its entries carry the hash. */
  setRigConfig(rig: string, hash: string, json: string): void {
    this.#rigCfg.set(rig, hash);
    if (!this.#configs.has(hash)) {
      this.#configs.set(hash, json);
      this.#setupDone = false;
    }
  }

  /**
   * Appends one poll of `rig` (split into entries of at most 1024 snapshots), read at `tickMs` (the
   * collector's clock as the samples arrived; default: the newest snapshot's ts). Never blocks or throws.
   */
  append(rig: string, snapshots: readonly Snapshot[], tickMs?: number): void {
    if (snapshots.length === 0) return;
    if (this.#closing) {
      this.#dropped += 1;
      this.#log.error({ code: 'write_after_close' }, 'A write arrived after close; dropped.');
      return;
    }
    const p = partitionOf(rig, this.#o.partitions);
    const meta = {
      collector: this.#o.collector_id,
      cfg: this.#rigCfg.get(rig) ?? '',
      tickMs: tickMs ?? null,
    };
    const seqOf = () => {
      this.#seq = nextSeq(this.#seq, this.#clock.nowMs());
      return this.#seq;
    };
    for (const entry of pollEntries(rig, snapshots, meta, seqOf)) {
      const e: Outgoing = { p, seq: entry.seq, fields: encodeEntry(entry) };
      this.#stats.appended += 1;
      if (this.#spooling && this.#spool !== null) {
        this.#spool.append(e);
        this.#stats.spooledTotal += 1;
      } else this.#queue.push(e);
    }
    if (this.#queue.length > this.#o.queue_max_entries) this.#spill();
    this.#wake();
  }

  /** The Sink face: a batch's snapshots are appended at its tick (scores, if any, are the workers' job). */
  write(batch: RigTickBatch): void {
    this.append(batch.rig, batch.snapshots, batch.ts);
  }

  /** Resolves once everything appended so far is in Valkey or written to the spool (fsynced). */
  async flush(): Promise<void> {
    await this.#opened;
    if (this.#queue.length > 0 || this.#inflight !== null)
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await this.#spool?.flush();
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  health(): SinkHealth {
    return {
      ok: this.#port.isReady && !this.#failing,
      queued: this.#queue.length + (this.#inflight?.length ?? 0),
      spooled: this.#spool?.pending ?? 0,
      dropped: this.#dropped + (this.#spool?.dropped ?? 0),
      lastError: this.#spool?.lastError ?? this.#lastError,
    };
  }

  stats(): Readonly<StreamWriterStats> {
    return { ...this.#stats };
  }

  /** Nothing queued, in flight or spooled: everything appended is in Valkey. */
  get isDrained(): boolean {
    return (
      !this.#spooling &&
      this.#queue.length === 0 &&
      this.#inflight === null &&
      (this.#spool?.pending ?? 0) === 0
    );
  }

  async #openSpool(): Promise<void> {
    const opened = await openSpoolLogged(this.#o, this.#log);
    this.#spool = opened.spool;
    this.#lastError = opened.error;
    if ((this.#spool?.pending ?? 0) > 0) this.#spill();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      if (this.#spooling) {
        if (this.#port.isReady) await this.#replayOnce();
        else if (this.#closing) break;
        else await this.#port.waitReady(this.#closingCtl.signal);
      } else if (this.#queue.length > 0) {
        if (this.#port.isReady) await this.#sendQueued();
        else if (!this.#spill()) {
          if (this.#closing) break;
          await this.#port.waitReady(this.#closingCtl.signal);
        }
      } else {
        this.#settleIdle();
        if (this.#closing) break;
        await new Promise<void>((resolve) => {
          this.#wakeUp = resolve;
        });
      }
    }
    this.#settleIdle();
  }

  async #sendQueued(): Promise<void> {
    const batch = this.#queue.splice(0, this.#o.send_max_entries);
    this.#inflight = batch;
    const ok = await this.#send(batch);
    const spilled = this.#inflight === null;
    this.#inflight = null;
    if (ok) return;
    if (!spilled) {
      this.#queue.unshift(...batch);
      this.#spill();
    }
    await this.#backoff();
  }

  async #replayOnce(): Promise<void> {
    const spool = this.#spool as EntrySpool;
    try {
      const { items: entries, corrupt, cursor } = await spool.read(this.#o.send_max_entries);
      if (entries.length + corrupt === 0) {
        if (spool.pending > 0) return await this.#backoff();
        this.#spooling = false;
        this.#log.info({ code: 'spool_drained' }, 'The spool is sent; appending directly again.');
        return;
      }
      if (entries.length > 0 && !(await this.#send(entries))) return await this.#backoff();
      if (corrupt > 0) {
        this.#dropped += corrupt;
        this.#log.error(
          { code: 'spool_corrupt', lines: corrupt },
          'Spool lines that are not entries were skipped.',
        );
      }
      this.#stats.replayed += entries.length;
      await spool.commit(cursor);
    } catch (err) {
      this.#fail('spool_failed', 'The spool cannot be read or written.', err);
      await this.#backoff();
    }
  }

  /** Sends `entries` (in seq order), setting up first when due; false = resend them later. */
  async #send(entries: readonly Outgoing[]): Promise<boolean> {
    try {
      const r = await sendEntries(this.#port, this.#keys, this.#o, entries, async () => {
        if (this.#setupDone) return;
        await setupPartitions(this.#port, this.#keys, this.#o.partitions, this.#configs);
        this.#setupDone = true;
      });
      this.#stats.added += r.added;
      this.#stats.skipped += r.skipped;
    } catch (err) {
      this.#fail('valkey_unavailable', 'Valkey append failed; spooling and retrying.', err);
      return false;
    }
    if (this.#failing)
      this.#log.info(
        { code: 'valkey_recovered', spooled: this.#spool?.pending ?? 0 },
        'Valkey appends succeed again.',
      );
    this.#failing = false;
    this.#backoffMs = 50;
    return true;
  }

  /** Moves in-flight then queued entries, in order, to the spool. False when there is no spool. */
  #spill(): boolean {
    const spool = this.#spool;
    if (spool === null) return false;
    const moved = [...(this.#inflight ?? []), ...this.#queue];
    this.#inflight = null;
    this.#queue = [];
    for (const e of moved) spool.append(e);
    this.#stats.spooledTotal += moved.length;
    this.#spooling = true;
    this.#settleIdle();
    return true;
  }

  async #backoff(): Promise<void> {
    if (!this.#port.isReady) return;
    const ms = this.#backoffMs;
    this.#backoffMs = Math.min(ms * 2, this.#o.retry_max_ms);
    await this.#clock.sleep(ms, this.#stop.signal).catch(() => undefined);
  }

  #fail(code: string, msg: string, err: unknown): void {
    this.#stats.failures += 1;
    this.#lastError = describe(err);
    this.#setupDone = false;
    // Logged on the transition only: an outage is one line, not one per retry.
    if (!this.#failing)
      this.#log.warn({ code, err, queued: this.#queue.length, spooled: this.#spool?.pending ?? 0 }, msg);
    this.#failing = true;
  }

  #settleIdle(): void {
    if (this.#queue.length > 0 || this.#inflight !== null) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  #wake(): void {
    const wake = this.#wakeUp;
    this.#wakeUp = null;
    wake?.();
  }

  async #shutdown(): Promise<void> {
    await this.#opened;
    this.#closing = true;
    this.#closingCtl.abort();
    this.#wake();
    const deadline = setTimeout(() => this.#stop.abort(), this.#o.close_timeout_ms);
    await this.#loop;
    clearTimeout(deadline);
    this.#stop.abort();
    if (!this.#spill() && this.#queue.length > 0) {
      this.#dropped += this.#queue.length;
      this.#log.error(
        { code: 'closed_unsent', entries: this.#queue.length },
        'Entries left unsent at close (no spool); dropped.',
      );
      this.#queue = [];
    }
    this.#settleIdle();
    await this.#spool?.close();
  }
}
