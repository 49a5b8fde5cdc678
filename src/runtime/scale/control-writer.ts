// Writes a collector's auto-tune records to the keys `rigtune run` writes: actions as entries of
// `telemetry:actions:<rig>` (published), advice into `telemetry:advice:<rig>`; in order, retried.

import type { Logger } from 'pino';
import type { ControlRecord } from '../../core/sink.ts';
import {
  type AdviceKeys,
  adviceItem,
  controlJson,
  encodeControl,
  type Item,
  parseApplyReply,
  StreamIds,
} from '../../sinks/valkey/index.ts';
import { ADVICE_SCRIPT } from './scripts.ts';
import type { ValkeyPort } from './valkey-client.ts';

/** Counters of the writer (tests, logs). */
export interface ControlWriterStats {
  /** Records the server took (an action entry added, an advice record applied). */
  written: number;
  /** Records the server already had or refused as not newer (a resend), skipped. */
  skipped: number;
  /** Records given up: the queue was full (counted and logged, never silent). */
  dropped: number;
  /** Sends that failed and were retried. */
  failures: number;
}

export interface ControlWriterOptions {
  /** Key prefix; default `telemetry`. */
  readonly prefix?: string;
  /** MAXLEN ~ of the actions stream; default 100000 (the Valkey sink's default). */
  readonly maxLen?: number;
  /** Records held while Valkey is away; beyond it the oldest are dropped. Default 10000. */
  readonly maxQueued?: number;
  /** Longest pause between retries, ms; default 2000. */
  readonly retryMaxMs?: number;
}

/**
 * A rig's advice keys as the collector writes them: the hash readers read (`<prefix>:advice:<rig>`,
 * its channel), with bookkeeping keys of its own, tagged like the workers' (one cluster slot). The
 * workers' advisory engine keeps its own version and expiries for the same hash: auto-tune advice has
 * its own kinds and ids, so the two writers never refuse or sweep each other's records.
 */
export function autotuneAdviceKeysOf(prefix: string, rig: string): AdviceKeys {
  const advice = `${prefix}:advice:${rig}`;
  return {
    advice,
    version: `${prefix}:autotune-advice-version:{${advice}}`,
    expiry: `${prefix}:autotune-advice-expiry:{${advice}}`,
  };
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export class ControlWriter {
  readonly #port: ValkeyPort;
  readonly #logger: Logger;
  readonly #prefix: string;
  readonly #maxLen: number;
  readonly #maxQueued: number;
  readonly #retryMaxMs: number;
  readonly #ids = new StreamIds();
  readonly #queue: Item[] = [];
  readonly #stats: ControlWriterStats = { written: 0, skipped: 0, dropped: 0, failures: 0 };
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #idle: Array<() => void> = [];

  constructor(port: ValkeyPort, logger: Logger, o: ControlWriterOptions = {}) {
    this.#port = port;
    this.#logger = logger;
    this.#prefix = o.prefix ?? 'telemetry';
    this.#maxLen = o.maxLen ?? 100_000;
    this.#maxQueued = o.maxQueued ?? 10_000;
    this.#retryMaxMs = o.retryMaxMs ?? 2000;
  }

  /** Queues `record` (encoded now: ids and versions follow emission order). Never blocks or throws. */
  write(record: ControlRecord): void {
    if (this.#abort.signal.aborted) return;
    this.#queue.push(this.#encode(record));
    if (this.#queue.length > this.#maxQueued) {
      this.#queue.shift();
      this.#stats.dropped += 1;
      this.#logger.warn(
        { component: 'autotune', code: 'control_record_dropped', dropped: this.#stats.dropped },
        'Auto-tune record dropped: Valkey unreachable and the queue is full (the journal keeps actions).',
      );
    }
    this.#loop ??= this.#drain();
  }

  stats(): ControlWriterStats {
    return { ...this.#stats };
  }

  /** Records not yet written. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once every record queued so far is written (or `timeoutMs` passed). */
  async flush(timeoutMs = 5000): Promise<void> {
    if (this.#queue.length === 0 && this.#loop === null) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Flushes (up to `timeoutMs`), then stops; what is left is counted as dropped and logged. */
  async close(timeoutMs = 5000): Promise<void> {
    await this.flush(timeoutMs);
    this.#abort.abort();
    await this.#loop;
    if (this.#queue.length > 0) {
      this.#stats.dropped += this.#queue.length;
      this.#logger.warn(
        { component: 'autotune', code: 'control_records_unsent', count: this.#queue.length },
        'Auto-tune records not written to Valkey before shutdown (the journal and audit log keep them).',
      );
      this.#queue.length = 0;
    }
  }

  #encode(record: ControlRecord): Item {
    const json = controlJson(record);
    if (record.kind === 'advice') {
      const keys = autotuneAdviceKeysOf(this.#prefix, record.rig);
      return adviceItem(keys, this.#ids.version(keys.advice, record.ts), json, record.payload, record.ts);
    }
    // The Valkey sink's own action item: one XADD of one key, published on its name.
    return encodeControl(record, this.#prefix, this.#maxLen, this.#ids);
  }

  async #drain(): Promise<void> {
    const signal = this.#abort.signal;
    let backoffMs = 50;
    while (this.#queue.length > 0 && !signal.aborted) {
      const item = this.#queue[0];
      if (!this.#port.isReady) await this.#port.waitReady(signal);
      if (signal.aborted) break;
      try {
        const r = parseApplyReply(await this.#port.runScript(ADVICE_SCRIPT, item.keys, item.argv));
        if (r === null) throw new Error('unexpected apply script reply');
        if (r.error !== null) throw new Error(r.error);
        if (r.set || r.added > 0) this.#stats.written += 1;
        else this.#stats.skipped += 1;
        // Sent (or already there): the next one. Ids were fixed at write(), so a resend is a no-op.
        if (this.#queue[0] === item) this.#queue.shift();
        backoffMs = 50;
      } catch (err) {
        this.#stats.failures += 1;
        this.#logger.warn(
          { component: 'autotune', code: 'control_write_failed', err },
          'Auto-tune record not written to Valkey yet; retrying.',
        );
        await realSleep(backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, this.#retryMaxMs);
      }
    }
    this.#loop = null;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
    if (this.#queue.length > 0 && !signal.aborted) this.#loop = this.#drain();
  }
}
