// The scale bench's child processes: workers and sites forked with the bench's own Node, their latest
// IPC report kept, graceful stop by message and SIGKILL for the takeover measurement.

import { type ChildProcess, fork } from 'node:child_process';
import type { WorkerStats } from '../../src/runtime/scale/index.ts';
import type { SiteReport, SiteSpec, WorkerReport, WorkerSpec } from './protocol.ts';

const here = (file: string) => new URL(file, import.meta.url).pathname;

const all = new Set<ChildProcess>();

/** SIGKILLs every child still running (the bench failed or was interrupted). */
export function killAll(): void {
  for (const c of all) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

function track(child: ChildProcess): ChildProcess {
  all.add(child);
  child.once('exit', () => all.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A worker process and its latest report. */
export class WorkerChild {
  readonly id: string;
  readonly #child: ChildProcess;
  stats: WorkerStats | null = null;
  owned: readonly number[] = [];
  /** CPU seconds used, as of the latest report. */
  cpuS = 0;

  constructor(spec: WorkerSpec) {
    this.id = spec.id;
    this.#child = track(
      fork(here('./worker-process.ts'), [JSON.stringify(spec)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    this.#child.on('message', (m: WorkerReport) => {
      this.stats = m.stats;
      this.owned = m.owned;
      this.cpuS = m.cpuS;
    });
  }

  /** Snapshots this worker has scored so far. */
  get scored(): number {
    return this.stats?.snapshots ?? 0;
  }

  /** Graceful: finishes the reads in hand, releases its leases, exits. */
  async stop(): Promise<void> {
    if (this.#child.connected) this.#child.send({ type: 'stop' });
    await exited(this.#child);
  }

  /** SIGKILL: no lease released, its pending entries left for another worker to claim. */
  async kill(): Promise<void> {
    const gone = exited(this.#child);
    this.#child.kill('SIGKILL');
    await gone;
  }
}

/** A site process; `done` resolves with its final report. */
export class SiteChild {
  readonly #child: ChildProcess;
  last: SiteReport | null = null;
  readonly done: Promise<SiteReport>;

  constructor(spec: SiteSpec) {
    this.#child = track(
      fork(here('./site-process.ts'), [JSON.stringify(spec)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    this.done = new Promise((resolve, reject) => {
      this.#child.on('message', (m: SiteReport) => {
        this.last = m;
        if (m.type === 'done') resolve(m);
      });
      this.#child.once('exit', (code) =>
        reject(new Error(`site ${spec.site} exited (${code}) before it was done`)),
      );
    });
    this.done.catch(() => undefined);
  }

  /** Paced sites: stop ticking, send what is queued, exit. */
  async stop(): Promise<SiteReport> {
    if (this.#child.connected) this.#child.send({ type: 'stop' });
    const report = await this.done;
    await exited(this.#child);
    return report;
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}

/** Polls `predicate` every `intervalMs` until it holds; rejects with `what` after `timeoutMs`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  intervalMs = 20,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
