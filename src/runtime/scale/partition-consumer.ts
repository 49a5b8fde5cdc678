// One owned partition: on takeover it claims the previous owner's pending entries (XAUTOCLAIM), rebuilds
// every rig's windows and advisory state from the stream's recent history (seeding each rig's state from
// telemetry:last, its active advice from telemetry:advice), then reads, scores, advises, writes, acks.

import type { Logger } from 'pino';
import type { ScoreTick } from '../../core/scores.ts';
import type { RigState, RigTickBatch } from '../../core/sink.ts';
import { keyNames } from '../../sinks/valkey/index.ts';
import { decodeEntry, derivedId, type ScaleKeys, WORKER_GROUP } from '../../sinks/valkey-streams/index.ts';
import { RigScorer } from '../rig-scorer.ts';
import { RigStateTracker } from '../rig-state.ts';
import { canonicalJson } from '../rig-table.ts';
import { readActiveAdvice } from './advice-keys.ts';
import { historyRange, nextPageStart, SeqGuard } from './rebuild-plan.ts';
import { entriesOf, groupInfo, type RawEntry, readEntries } from './replies.ts';
import { type RigOutput, writeResults } from './results.ts';
import { RigAdvisor } from './rig-advisor.ts';
import type { RigSettingsCache } from './rig-settings.ts';
import type { ValkeyPort } from './valkey-client.ts';
import type { WorkerStats } from './worker-types.ts';

export interface ConsumerSettings {
  readonly prefix: string;
  readonly keys: ScaleKeys;
  /** This worker instance: the consumer name in the group. */
  readonly consumer: string;
  readonly readCount: number;
  readonly blockMs: number;
  /** History replayed on takeover, ms of stream time. */
  readonly rebuildMs: number;
  readonly rebuildMaxEntries: number;
  readonly streamMaxLen: number;
}

export interface ConsumerDeps {
  /** Writes, acks, claims. */
  readonly port: ValkeyPort;
  /** Its own connection for XREADGROUP BLOCK (closed when the consumer stops). */
  readonly reader: ValkeyPort;
  readonly settings: RigSettingsCache;
  readonly logger: Logger;
  readonly stats: WorkerStats;
  /** False once the lease may have passed to another worker: stop before writing anything. */
  readonly isLeaseValid: () => boolean;
  /** Every scored batch (Prometheus, tests); called before the results are written. */
  readonly onBatch?: (batch: RigTickBatch) => void;
  /** Pending while the worker renews its leases: awaited before every 16 entries scored. */
  readonly leaseGate?: () => Promise<void> | null;
}

interface RigEntry {
  readonly scorer: RigScorer;
  readonly cfg: string;
  /** Canonical JSON of the scorer options: a settings change that leaves them keeps the scorer. */
  readonly scorerKey: string;
  /** The rig's active advice was taken from Valkey (once, before its first processed entry). */
  adopted: boolean;
}

export class PartitionConsumer {
  readonly p: number;
  readonly #s: ConsumerSettings;
  readonly #d: ConsumerDeps;
  readonly #stream: string;
  readonly #rigs = new Map<string, RigEntry>();
  #guard = new SeqGuard();
  #advisor: RigAdvisor;
  #stopping = false;
  #done: Promise<void> | null = null;

  constructor(p: number, s: ConsumerSettings, d: ConsumerDeps) {
    this.p = p;
    this.#s = s;
    this.#d = d;
    this.#stream = s.keys.snapshots(p);
    this.#advisor = this.#newAdvisor();
  }

  #newAdvisor(): RigAdvisor {
    return new RigAdvisor((rig, err) => {
      this.#d.stats.failures += 1;
      this.#d.logger.error(
        { code: 'advisory_failed', partition: this.p, rig, err },
        'Advisory engine failed; no advice this tick.',
      );
    });
  }

  /** Takes over and consumes until stop() or the lease lapses; resolves when it has stopped. */
  start(): Promise<void> {
    this.#done ??= this.#run().finally(() => this.#d.reader.close());
    return this.#done;
  }

  /** Finishes the read in hand (its results written and acked, if the lease allows), then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#done;
  }

  get #active(): boolean {
    return !this.#stopping && this.#d.isLeaseValid();
  }

  async #run(): Promise<void> {
    {
      await this.#retry(() => this.#ensureGroup());
      const claimed = await this.#retry(() => this.#claim());
      if (claimed === null) return;
      const lastDelivered = await this.#retry(() => this.#lastDelivered());
      if (lastDelivered === null) return;
      const range = historyRange(claimed[0]?.[0] ?? null, lastDelivered, this.#s.rebuildMs);
      if (range !== null && (await this.#retry(() => this.#rebuild(range.start, range.end))) === null) return;
      this.#d.stats.takeovers += 1;
      this.#d.stats.claimed += claimed.length;
      for (let i = 0; i < claimed.length && this.#active; i += this.#s.readCount)
        if (!(await this.#process(claimed.slice(i, i + this.#s.readCount)))) return;
      while (this.#active) {
        const reply = await this.#d.reader
          .command(this.#stream, [
            'XREADGROUP',
            'GROUP',
            WORKER_GROUP,
            this.#s.consumer,
            'COUNT',
            String(this.#s.readCount),
            'BLOCK',
            String(this.#s.blockMs),
            'STREAMS',
            this.#stream,
            '>',
          ])
          .catch((err: unknown) => {
            this.#d.logger.warn(
              { code: 'read_failed', partition: this.p, err },
              'Partition read failed; retrying.',
            );
            return null;
          });
        if (reply === null) {
          if (!this.#d.reader.isReady) await this.#d.reader.waitReady(AbortSignal.timeout(this.#s.blockMs));
          continue;
        }
        const entries = readEntries(reply, this.#stream);
        if (entries.length > 0 && !(await this.#process(entries))) return;
      }
    }
  }

  /**
   * Runs `work` until it succeeds; null when the lease lapsed meanwhile, or (unless `finish`: the read
   * in hand is finished on a graceful stop) when the consumer was asked to stop.
   */
  async #retry<T>(work: () => Promise<T>, finish = false): Promise<T | null> {
    let backoffMs = 20;
    while (finish ? this.#d.isLeaseValid() : this.#active) {
      try {
        return await work();
      } catch (err) {
        this.#d.stats.failures += 1;
        this.#d.logger.warn(
          { code: 'partition_retry', partition: this.p, err },
          'Valkey call failed; retrying.',
        );
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    }
    return null;
  }

  async #ensureGroup(): Promise<void> {
    await this.#d.port
      .command(this.#stream, ['XGROUP', 'CREATE', this.#stream, WORKER_GROUP, '0', 'MKSTREAM'])
      .catch((err: unknown) => {
        if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
      });
  }

  /** Every pending entry of the group, whoever it was delivered to, now ours (oldest first). */
  async #claim(): Promise<RawEntry[]> {
    const out: RawEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = await this.#d.port.command(this.#stream, [
        'XAUTOCLAIM',
        this.#stream,
        WORKER_GROUP,
        this.#s.consumer,
        '0',
        cursor,
        'COUNT',
        '1000',
      ]);
      if (!Array.isArray(reply) || typeof reply[0] !== 'string')
        throw new Error('unexpected XAUTOCLAIM reply');
      cursor = reply[0];
      out.push(...entriesOf(reply[1]));
    } while (cursor !== '0-0');
    return out;
  }

  async #lastDelivered(): Promise<string> {
    const reply = await this.#d.port.command(this.#stream, ['XINFO', 'GROUPS', this.#stream]);
    return String(groupInfo(reply, WORKER_GROUP)?.get('last-delivered-id') ?? '0-0');
  }

  /**
   * Replays history (outputs discarded, advice published nowhere) so windows and advisory state
   * continue; each rig's state is seeded first.
   */
  async #rebuild(start: string, end: string): Promise<true> {
    this.#rigs.clear();
    this.#guard = new SeqGuard();
    this.#advisor = this.#newAdvisor();
    let from = start;
    let replayed = 0;
    while (replayed < this.#s.rebuildMaxEntries) {
      const count = Math.min(1000, this.#s.rebuildMaxEntries - replayed);
      const page = entriesOf(
        await this.#d.port.command(this.#stream, ['XRANGE', this.#stream, from, end, 'COUNT', String(count)]),
      );
      let k = 0;
      for (const [, fields] of page) {
        if (k++ % 16 === 0) await this.#yieldToLeases(k > 1);
        const d = decodeEntry(fields);
        if (!d.ok || !this.#guard.admit(d.entry.rig, d.entry.collector, d.entry.seq)) continue;
        const e = d.entry;
        const rig = await this.#rig(e.rig, e.cfg);
        const r = rig.scorer.score(e.snapshots);
        this.#advisor.observe({ ...r, rig: e.rig, ts: e.tickMs, snapshots: e.snapshots });
      }
      replayed += page.length;
      if (page.length < count) break;
      from = nextPageStart(page[page.length - 1][0]);
    }
    this.#d.stats.rebuiltEntries += replayed;
    return true;
  }

  /**
   * Lease upkeep before more scoring: waits while the worker renews its leases, else (`yieldNow`) lets
   * the event loop run once, so renewal replies are never starved by a long run of scoring.
   */
  async #yieldToLeases(yieldNow: boolean): Promise<void> {
    const gate = this.#d.leaseGate?.();
    if (gate) await gate;
    else if (yieldNow) await new Promise<void>((r) => setImmediate(r));
  }

  /** The rig's scorer (built with its settings, its state seeded from telemetry:last on first use). */
  async #rig(rig: string, cfg: string): Promise<RigEntry> {
    const held = this.#rigs.get(rig);
    if (held !== undefined && held.cfg === cfg) return held;
    const settings = await this.#d.settings.get(cfg);
    if (settings === null)
      this.#d.logger.warn(
        { code: 'rig_settings_missing', rig, cfg },
        'Rig settings not in Valkey; scoring with defaults.',
      );
    this.#advisor.configure(rig, settings);
    const scorerKey = canonicalJson(settings?.scorer ?? {});
    // Only the advisory settings changed: the windows stay (as a reload of `rigtune run` keeps them).
    if (held !== undefined && held.scorerKey === scorerKey) {
      const kept = { ...held, cfg };
      this.#rigs.set(rig, kept);
      return kept;
    }
    let tracker = held?.scorer.tracker;
    if (tracker === undefined) {
      tracker = new RigStateTracker(rig);
      const last = await this.#d.port.command(keyNames(this.#s.prefix, rig).last, [
        'GET',
        keyNames(this.#s.prefix, rig).last,
      ]);
      if (typeof last === 'string') tracker.update((JSON.parse(last) as RigState).devices as ScoreTick[]);
    }
    const entry = {
      scorer: new RigScorer(rig, settings?.scorer ?? {}, tracker),
      cfg,
      scorerKey,
      adopted: held?.adopted ?? false,
    };
    this.#rigs.set(rig, entry);
    return entry;
  }

  /** Scores `entries`, writes the results, acks; false when the lease lapsed before that was done. */
  async #process(entries: readonly RawEntry[]): Promise<boolean> {
    const outputs = new Map<string, RigOutput>();
    const stats = this.#d.stats;
    let k = 0;
    for (const [id, fields] of entries) {
      if (k++ % 16 === 0) await this.#yieldToLeases(k > 1);
      const d = decodeEntry(fields);
      if (!d.ok) {
        stats.badEntries += 1;
        continue;
      }
      const e = d.entry;
      if (!this.#guard.admit(e.rig, e.collector, e.seq)) {
        stats.duplicateEntries += 1;
        continue;
      }
      const rig = await this.#retry(() => this.#rig(e.rig, e.cfg), true);
      if (rig === null) return false;
      if (!rig.adopted) {
        const held = await this.#retry(() => readActiveAdvice(this.#d.port, this.#s.prefix, e.rig), true);
        if (held === null) return false;
        this.#advisor.restore(e.rig, held);
        rig.adopted = true;
      }
      const r = rig.scorer.score(e.snapshots);
      stats.entries += 1;
      stats.snapshots += e.snapshots.length;
      stats.scores += r.scores.length;
      stats.rejected += r.rejected.length;
      const out = outputs.get(e.rig) ?? { states: [], snapshots: [], events: [], advice: [] };
      outputs.set(e.rig, out);
      out.states.push(r.state);
      for (const [i, snapshot] of e.snapshots.entries())
        out.snapshots.push({ id: derivedId(id, i), snapshot });
      for (const [i, event] of r.events.entries()) out.events.push({ id: derivedId(id, i), event });
      const batch = {
        rig: e.rig,
        ts: e.tickMs,
        snapshots: e.snapshots,
        scores: r.scores,
        events: r.events,
        state: r.state,
      };
      this.#d.onBatch?.(batch);
      out.advice.push(...this.#advisor.observe(batch));
    }
    const written = await this.#retry(async () => {
      if (!this.#d.isLeaseValid()) throw new Error('lease lapsed');
      return await writeResults(this.#d.port, this.#s.prefix, this.#s.streamMaxLen, outputs);
    }, true);
    if (written === null) return false;
    stats.statesStored += written.stored;
    stats.duplicateRecords += written.duplicates;
    stats.adviceApplied += written.adviceApplied;
    stats.adviceSkipped += written.adviceSkipped;
    const ids = entries.map(([id]) => id);
    const acked = await this.#retry(
      () => this.#d.port.command(this.#stream, ['XACK', this.#stream, WORKER_GROUP, ...ids]),
      true,
    );
    return acked !== null;
  }
}
