// A scoring worker: joins the live workers (heartbeat), keeps its partitions' leases (renewed every
// third of the ttl), takes and releases partitions by the fair-share plan, and runs one consumer per
// owned partition. stop() finishes the reads in hand, releases every lease and leaves.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RigTickBatch } from '../../core/sink.ts';
import { type ScaleKeys, scaleKeys } from '../../sinks/valkey-streams/index.ts';
import { leaseDeadline, planLeases, renewPeriodMs } from './lease-plan.ts';
import { PartitionConsumer } from './partition-consumer.ts';
import { RigSettingsCache } from './rig-settings.ts';
import { HEARTBEAT_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT } from './scripts.ts';
import type { ValkeyPort } from './valkey-client.ts';
import { emptyWorkerStats, type WorkerOptions, type WorkerStats } from './worker-types.ts';

export interface WorkerDeps {
  readonly port: ValkeyPort;
  readonly logger: Logger;
  /** Monotonic ms for lease deadlines; default performance.now. */
  readonly monotonicMs?: () => number;
  /** Every scored batch (the worker's Prometheus exporter, tests). */
  readonly onBatch?: (batch: RigTickBatch) => void;
}

interface Owned {
  readonly consumer: PartitionConsumer;
  /** Monotonic ms until which the lease may be used. */
  deadline: number;
}

const DEFAULT_PARTITIONS = 16;

export class Worker {
  /** `<id>/<nonce>`: lease value, membership member and consumer name. */
  readonly instance: string;
  readonly #o: WorkerOptions;
  readonly #d: WorkerDeps;
  readonly #keys: ScaleKeys;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #settings: RigSettingsCache;
  /**
   * Leases and heartbeats go over their own connection: on the shared one a renewal would queue behind
   * a read's pipelined result writes, and a busy worker would lose its own leases.
   */
  readonly #leases: ValkeyPort;
  readonly #stats: WorkerStats = emptyWorkerStats();
  readonly #owned = new Map<number, Owned>();
  #partitions = 0;
  #live: readonly string[] = [];
  #timer: NodeJS.Timeout | null = null;
  #round: Promise<void> = Promise.resolve();
  #stopped: Promise<void> | null = null;

  constructor(o: WorkerOptions, d: WorkerDeps) {
    this.#o = o;
    this.#d = d;
    this.instance = `${o.id}/${randomBytes(4).toString('hex')}`;
    this.#keys = scaleKeys(o.keyPrefix, o.namespace);
    this.#log = d.logger.child({ component: 'worker', worker: this.instance });
    this.#now = d.monotonicMs ?? (() => performance.now());
    this.#settings = new RigSettingsCache(d.port, this.#keys.rigConfig);
    this.#leases = d.port.duplicate();
  }

  /** Agrees the partition count with Valkey (waiting for a connection), then runs lease rounds. */
  async start(): Promise<void> {
    const { port } = this.#d;
    const k = this.#keys.partitions;
    for (;;) {
      await port.waitReady(AbortSignal.timeout(1000));
      try {
        const wanted = String(this.#o.partitions ?? DEFAULT_PARTITIONS);
        await port.command(k, ['SET', k, wanted, 'NX']);
        const held = Number(await port.command(k, ['GET', k]));
        if (this.#o.partitions !== null && held !== this.#o.partitions)
          throw new Error(
            `Valkey holds ${held} partitions (${k}); this worker is set to ${this.#o.partitions}`,
          );
        this.#partitions = held;
        break;
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('Valkey holds')) throw err;
        this.#log.warn({ code: 'valkey_unavailable', err }, 'Valkey is unreachable; waiting.');
      }
    }
    // The lease connection opened with the worker; a round before it is up would only fail and retry.
    await this.#leases.waitReady(AbortSignal.timeout(5000)).catch(() => undefined);
    this.#log.info({ code: 'worker_started', partitions: this.#partitions }, 'Worker started.');
    this.#schedule(0);
  }

  /** Partitions owned now, ascending. */
  owned(): number[] {
    return [...this.#owned.keys()].sort((a, b) => a - b);
  }

  /** Live worker instances as of the last round. */
  live(): readonly string[] {
    return this.#live;
  }

  get partitions(): number {
    return this.#partitions;
  }

  stats(): Readonly<WorkerStats> {
    return { ...this.#stats };
  }

  /** Stops consuming (reads in hand finished), releases every lease, leaves the membership. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      if (this.#timer !== null) clearTimeout(this.#timer);
      await this.#round;
      await Promise.all([...this.#owned.keys()].map((p) => this.#release(p)));
      await this.#leases
        .runScript(HEARTBEAT_SCRIPT, [this.#keys.workers], [this.instance, String(this.#o.leaseTtlMs), '0'])
        .catch(() => undefined);
      await this.#leases.close();
      this.#log.info({ code: 'worker_stopped', ...this.#stats }, 'Worker stopped.');
    })();
    return this.#stopped;
  }

  /**
   * Pending while a round renews the leases: consumers wait for it before scoring more, so the
   * renewals never queue behind scoring (a saturated worker otherwise loses its own leases).
   */
  #gate: Promise<void> | null = null;
  #openGate: () => void = () => undefined;

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#gate = new Promise<void>((resolve) => {
        this.#openGate = () => {
          this.#gate = null;
          resolve();
        };
      });
      // Opened once the renewals are done (before releases, which wait for consumers), or on failure.
      const round = this.#roundOnce().finally(() => this.#openGate());
      this.#round = round.catch((err: unknown) => {
        this.#stats.failures += 1;
        this.#log.warn({ code: 'lease_round_failed', err }, 'Lease round failed; retrying.');
      });
      void this.#round.then(() => {
        if (this.#stopped === null) this.#schedule(renewPeriodMs(this.#o.leaseTtlMs));
      });
    }, ms);
  }

  async #roundOnce(): Promise<void> {
    const port = this.#leases;
    const ttl = String(this.#o.leaseTtlMs);
    const margin = this.#o.leaseTtlMs / 4;
    const sentAt = this.#now();
    // The heartbeat and the renewals go out together: a master that holds `rigtune:workers` and is
    // down must not cost the leases that live on healthy masters.
    const heartbeat = port
      .runScript(HEARTBEAT_SCRIPT, [this.#keys.workers], [this.instance, ttl, '1'])
      .then((live) => {
        this.#live = Array.isArray(live) ? live.map(String) : [this.instance];
      });
    const renewals = [...this.#owned].map(async ([p, owned]) => {
      const ok = await port.runScript(RENEW_SCRIPT, [this.#keys.lease(p)], [this.instance, ttl]);
      if (ok === 1) owned.deadline = leaseDeadline(sentAt, this.#o.leaseTtlMs, margin);
      else {
        this.#stats.leasesLost += 1;
        this.#log.warn({ code: 'lease_lost', partition: p }, 'Partition lease lost; stopping its consumer.');
        owned.deadline = Number.NEGATIVE_INFINITY;
        this.#owned.delete(p);
        void owned.consumer.stop();
      }
    });
    // A renewal that failed leaves its lease to run out on its own deadline (isLeaseValid).
    const settled = await Promise.allSettled([heartbeat, ...renewals]);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      this.#openGate();
      throw failed.reason;
    }
    this.#openGate();
    if (this.#stopped !== null) return;
    const holders = await Promise.all(
      Array.from({ length: this.#partitions }, (_, p) =>
        port.command(this.#keys.lease(p), ['GET', this.#keys.lease(p)]),
      ),
    );
    const free: number[] = [];
    for (let p = 0; p < this.#partitions; p++) {
      if (holders[p] === null) free.push(p);
      // Ours in Valkey but no consumer (its lease lapsed locally): let it go and take it afresh.
      else if (holders[p] === this.instance && !this.#owned.has(p)) await this.#releaseKey(p);
    }
    const plan = planLeases({
      me: this.instance,
      live: this.#live,
      partitions: this.#partitions,
      mine: this.owned(),
      free,
    });
    await Promise.all(plan.release.map((p) => this.#release(p)));
    for (const p of plan.take) {
      if (this.#stopped !== null) return;
      const at = this.#now();
      const ok = await port.command(this.#keys.lease(p), [
        'SET',
        this.#keys.lease(p),
        this.instance,
        'NX',
        'PX',
        ttl,
      ]);
      if (ok !== 'OK') continue;
      this.#stats.leasesAcquired += 1;
      this.#startConsumer(p, leaseDeadline(at, this.#o.leaseTtlMs, margin));
    }
  }

  #startConsumer(p: number, deadline: number): void {
    const o = this.#o;
    const owned: Owned = { consumer: null as unknown as PartitionConsumer, deadline };
    const consumer = new PartitionConsumer(
      p,
      {
        prefix: o.keyPrefix,
        keys: this.#keys,
        consumer: this.instance,
        readCount: o.readCount,
        blockMs: o.blockMs,
        rebuildMs: o.rebuildMs,
        rebuildMaxEntries: o.rebuildMaxEntries,
        streamMaxLen: o.streamMaxLen,
      },
      {
        port: this.#d.port,
        reader: this.#d.port.duplicate(),
        settings: this.#settings,
        logger: this.#log,
        stats: this.#stats,
        isLeaseValid: () => this.#now() < owned.deadline,
        leaseGate: () => this.#gate,
        onBatch: this.#d.onBatch,
      },
    );
    (owned as { consumer: PartitionConsumer }).consumer = consumer;
    this.#owned.set(p, owned);
    this.#log.info({ code: 'partition_acquired', partition: p }, 'Partition acquired.');
    void consumer.start().then(() => {
      // Stopped on its own (the lease lapsed): the next round releases the key and may take it again.
      if (this.#owned.get(p) === owned && this.#stopped === null && !(this.#now() < owned.deadline)) {
        this.#owned.delete(p);
        this.#stats.leasesLost += 1;
        this.#log.warn(
          { code: 'lease_lapsed', partition: p },
          'Partition lease not renewed in time; consumer stopped.',
        );
      }
    });
  }

  async #release(p: number): Promise<void> {
    const owned = this.#owned.get(p);
    if (owned === undefined) return;
    await owned.consumer.stop();
    this.#owned.delete(p);
    await this.#releaseKey(p);
    this.#stats.leasesReleased += 1;
    this.#log.info({ code: 'partition_released', partition: p }, 'Partition released.');
  }

  async #releaseKey(p: number): Promise<void> {
    await this.#leases
      .runScript(RELEASE_SCRIPT, [this.#keys.lease(p)], [this.instance])
      .catch(() => undefined);
  }
}
