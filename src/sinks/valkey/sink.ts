// The Valkey sink: write() encodes and queues; one loop sends the queue in order as pipelines. On an
// outage, a timeout or a full queue everything goes to the disk spool and is replayed from it in order.

import type { Clock } from '../../core/clock.ts';
import type { ControlRecord, RigTickBatch, Sink, SinkHealth } from '../../core/sink.ts';
import { ValkeyConnection } from './connection.ts';
import { encodeBatch, encodeControl, type Item, StreamIds } from './encode.ts';
import { FlushTracker } from './flush-tracker.ts';
import { LimitedLog, type LogLevel } from './log-limit.ts';
import { sendPipeline, settlesWithin } from './pipeline.ts';
import { ItemQueue, type Queued } from './queue.ts';
import { openSpool, type Spool } from './spool.ts';
import {
  describe,
  emptyStats,
  systemClock,
  type ValkeySinkDeps,
  type ValkeySinkOptions,
  type ValkeyStats,
} from './types.ts';
import { judge } from './verdict.ts';

type Outcome = 'ok' | 'retry';

const LOG_WINDOW_MS = 30_000;
const STALL_FACTOR = 5;

/** The sink; README.md describes keys, ids, guarantees and troubleshooting. */
export class ValkeySink implements Sink {
  readonly name = 'valkey';
  readonly #o: ValkeySinkOptions;
  readonly #clock: Clock;
  readonly #log: LimitedLog;
  readonly #conn: ValkeyConnection;
  readonly #ids = new StreamIds();
  readonly #queue = new ItemQueue();
  /** Aborted when close() begins: stops waiting for a connection. */
  readonly #closingCtl = new AbortController();
  /** Aborted at close()'s deadline: stops sleeps and the loop. */
  readonly #stop = new AbortController();
  readonly #flushes = new FlushTracker();
  readonly #stats: ValkeyStats = emptyStats();
  readonly #opened: Promise<void>;
  readonly #loop: Promise<void>;
  #spool: Spool | null = null;
  #spoolOpening = true;
  #spooling = false;
  #inflight: Queued[] | null = null;
  #inflightSpooled = false;
  #stalled: Promise<unknown> | null = null;
  #failing = false;
  #lastError: string | null = null;
  #dropped = 0;
  #backoffMs = 50;
  #wakeUp: (() => void) | null = null;
  #closing = false;
  #closed: Promise<void> | null = null;

  constructor(options: ValkeySinkOptions, deps: ValkeySinkDeps) {
    this.#o = options;
    this.#clock = deps.clock ?? systemClock;
    this.#log = new LimitedLog(
      deps.logger.child({ component: 'sink.valkey' }),
      () => this.#clock.nowMs(),
      LOG_WINDOW_MS,
    );
    const connection = {
      url: options.url,
      connectTimeoutMs: options.connect_timeout_ms,
      reconnectMaxMs: options.reconnect_max_ms,
    };
    this.#conn = new ValkeyConnection(connection, {
      ready: () => this.#wake(),
      error: (err) => {
        this.#fail('valkey_unavailable', 'warn', 'Valkey is unreachable; spooling.', err);
        this.#wake();
      },
    });
    this.#opened = this.#openSpool();
    this.#loop = this.#opened.then(() => this.#run());
  }

  write(batch: RigTickBatch): void {
    this.#accept(() => encodeBatch(batch, this.#o.key_prefix, this.#o.stream_max_len, this.#ids));
  }

  writeControl(record: ControlRecord): void {
    this.#accept(() => encodeControl(record, this.#o.key_prefix, this.#o.stream_max_len, this.#ids));
  }

  /** Also waits for startup: a spool left by an earlier run is counted in `spooled` afterwards. */
  async flush(): Promise<void> {
    await this.#opened;
    await this.#flushes.wait();
    await this.#spool?.flush();
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  health(): SinkHealth {
    const inflight = this.#inflight !== null && !this.#inflightSpooled ? this.#inflight.length : 0;
    return {
      ok: this.#conn.isReady && !this.#failing,
      queued: this.#queue.length + inflight,
      spooled: this.#spool?.pending ?? 0,
      dropped: this.#dropped + (this.#spool?.dropped ?? 0),
      lastError: this.#spool?.lastError ?? this.#lastError,
    };
  }

  stats(): Readonly<ValkeyStats> {
    return { ...this.#stats };
  }

  #accept(encode: () => Item): void {
    if (this.#closing) {
      this.#drop(1, 'write_after_close', 'A write arrived after close; dropped.');
      return;
    }
    let item: Item;
    try {
      item = encode();
    } catch (err) {
      this.#drop(1, 'encode_failed', 'A batch could not be encoded; dropped.', err);
      return;
    }
    const seq = this.#flushes.accept();
    this.#stats.accepted += 1;
    if (this.#spooling && this.#spool !== null) {
      this.#spool.append(item);
      this.#stats.spooledTotal += 1;
      this.#flushes.settle(seq);
      return;
    }
    this.#queue.push({ item, seq });
    if (this.#queue.bytes > this.#o.queue_max_bytes && !this.#spoolOpening && !this.#spill()) {
      // No spool to spill to (its directory failed): the oldest batches go.
      while (this.#queue.bytes > this.#o.queue_max_bytes && this.#queue.length > 1) {
        const [old] = this.#queue.take(1);
        this.#flushes.settle(old.seq);
        this.#drop(1, 'queue_full', 'The queue is full and there is no spool; oldest batch dropped.');
      }
    }
    this.#wake();
  }

  async #openSpool(): Promise<void> {
    try {
      this.#spool = await openSpool(this.#o);
      const left = this.#spool.pending;
      if (left > 0) {
        const msg = 'Spooled batches from an earlier run will be replayed.';
        this.#log.event('info', 'spool_found', msg, { spooled: left });
      }
      if (left > 0 || this.#queue.bytes > this.#o.queue_max_bytes) this.#spill();
    } catch (err) {
      const msg = 'The spool cannot be opened; an outage will drop batches.';
      this.#fail('spool_unavailable', 'error', msg, err);
    }
    this.#spoolOpening = false;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const ready = this.#conn.isReady;
      if (this.#spooling) {
        if (ready) await this.#replayOnce();
        else if (this.#closing) break;
        else await this.#conn.waitReady(this.#closingCtl.signal);
      } else if (ready && this.#queue.length > 0) {
        await this.#sendQueued();
      } else if (this.#queue.length === 0 || !this.#failing) {
        // Idle, or still connecting for the first time: wait for a write, the connection or an error.
        if (this.#closing) break;
        await new Promise<void>((resolve) => {
          this.#wakeUp = resolve;
        });
      } else if (!this.#spill()) {
        if (this.#closing) break;
        await this.#conn.waitReady(this.#closingCtl.signal);
      }
    }
  }

  async #sendQueued(): Promise<void> {
    const batch = this.#queue.take(this.#o.pipeline_max_batches);
    this.#inflight = batch;
    this.#inflightSpooled = false;
    const outcome = await this.#send(
      batch.map((q) => q.item),
      true,
    );
    const spooled = this.#inflightSpooled;
    this.#inflight = null;
    if (outcome === 'ok') {
      this.#flushes.settle(batch[batch.length - 1].seq);
      return;
    }
    if (!spooled) {
      this.#queue.unshift(batch);
      this.#spill();
    }
    await this.#backoff();
  }

  async #replayOnce(): Promise<void> {
    const spool = this.#spool as Spool;
    try {
      const { items, corrupt, cursor } = await spool.read(this.#o.pipeline_max_batches);
      if (items.length + corrupt === 0) {
        if (spool.pending > 0) return await this.#backoff();
        this.#spooling = false;
        this.#log.event('info', 'spool_drained', 'The spool is replayed; writing directly again.');
        return;
      }
      if (items.length > 0 && (await this.#send(items, false)) === 'retry') return await this.#backoff();
      if (corrupt > 0) this.#drop(corrupt, 'spool_corrupt', 'Spool lines that are not batches were skipped.');
      this.#stats.replayed += items.length;
      await spool.commit(cursor);
    } catch (err) {
      this.#fail('spool_failed', 'error', 'The spool cannot be read or written.', err);
      await this.#backoff();
    }
  }

  /** One pipeline; 'retry' leaves the items to be sent again (they are idempotent). */
  async #send(items: readonly Item[], fresh: boolean): Promise<Outcome> {
    if (this.#stalled !== null) {
      const stalled = this.#stalled;
      this.#stalled = null;
      const limit = this.#o.command_timeout_ms * STALL_FACTOR;
      if (!(await settlesWithin(stalled, limit, this.#stop.signal))) {
        const err = new Error(`no reply in ${limit} ms`);
        this.#fail('valkey_stalled', 'warn', 'Valkey stopped answering; reconnecting.', err);
        this.#conn.reset();
        return 'retry';
      }
    }
    if (!this.#conn.isReady) return 'retry';
    this.#stats.pipelines += 1;
    const outcome = await sendPipeline(this.#conn.client, items, this.#o.command_timeout_ms);
    if (outcome.kind === 'timeout') this.#stalled = outcome.pending;
    const v = judge(outcome, this.#o.command_timeout_ms);
    if (v.kind === 'retry') {
      this.#fail(v.code, v.level, v.msg, v.err);
      return 'retry';
    }
    const s = this.#stats;
    s.written += items.length;
    s.entriesAdded += v.added;
    s.duplicates += v.duplicates;
    s.valuesSet += v.valuesSet;
    if (v.badReplies > 0)
      this.#drop(v.badReplies, 'valkey_bad_reply', 'Valkey gave an unexpected reply; dropped.');
    for (const error of v.refused) {
      this.#lastError = error;
      this.#drop(1, 'valkey_write_refused', 'Valkey refused part of a batch; not retried.', new Error(error));
    }
    // A first send cannot meet its own entries: duplicates there mean the stream was already ahead.
    if (fresh && v.duplicates > 0) {
      const msg = 'Stream entries older than the stream were skipped.';
      this.#log.event('warn', 'valkey_stale_entries', msg, { entries: v.duplicates });
    }
    if (this.#failing) {
      const msg = 'Valkey writes succeed again.';
      this.#log.event('info', 'valkey_recovered', msg, { spooled: this.health().spooled });
    }
    this.#failing = false;
    this.#backoffMs = 50;
    return 'ok';
  }

  /** Moves the in-flight and queued items, in order, to the spool. False when there is no spool. */
  #spill(): boolean {
    const spool = this.#spool;
    if (spool === null) return false;
    let n = 0;
    if (this.#inflight !== null && !this.#inflightSpooled) {
      for (const q of this.#inflight) spool.append(q.item);
      this.#inflightSpooled = true;
      n += this.#inflight.length;
    }
    const queued = this.#queue.takeAll();
    for (const q of queued) spool.append(q.item);
    n += queued.length;
    this.#stats.spooledTotal += n;
    this.#spooling = true;
    this.#flushes.settleAll();
    return true;
  }

  async #backoff(): Promise<void> {
    if (!this.#conn.isReady) return;
    const ms = this.#backoffMs;
    this.#backoffMs = Math.min(ms * 2, this.#o.reconnect_max_ms);
    await this.#clock.sleep(ms, this.#stop.signal).catch(() => undefined);
  }

  #fail(code: string, level: LogLevel, msg: string, err: unknown): void {
    this.#failing = true;
    this.#stats.failures += 1;
    this.#lastError = describe(err);
    this.#log.event(level, code, msg, {
      err,
      queued: this.#queue.length,
      spooled: this.#spool?.pending ?? 0,
    });
  }

  #drop(n: number, code: string, msg: string, err?: unknown): void {
    this.#dropped += n;
    this.#log.event(
      'error',
      code,
      msg,
      err === undefined ? { dropped: this.#dropped } : { err, dropped: this.#dropped },
    );
  }

  #wake(): void {
    const wake = this.#wakeUp;
    this.#wakeUp = null;
    wake?.();
  }

  async #shutdown(): Promise<void> {
    this.#closing = true;
    this.#closingCtl.abort();
    this.#wake();
    const deadline = setTimeout(() => this.#stop.abort(), this.#o.close_timeout_ms);
    await this.#loop;
    clearTimeout(deadline);
    this.#stop.abort();
    if (!this.#spill()) {
      const left = this.#queue.takeAll();
      if (left.length > 0)
        this.#drop(left.length, 'closed_unsent', 'Batches left unsent at close (no spool); dropped.');
    }
    this.#flushes.settleAll();
    await this.#spool?.close();
    await this.#conn.close(this.#o.command_timeout_ms);
  }
}
