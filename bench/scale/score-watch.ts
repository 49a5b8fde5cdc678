// Watches the results side of the scale bench: every rig state a worker stores is published on
// `telemetry:score:{rig}`; arrival time minus the state's ts is the end-to-end latency, a ts older than
// the rig's previous one is a state going backwards, and the first newer state after a kill ends a takeover.

import { createClient } from 'redis';

export interface ScoreWatch {
  /** Latencies (arrival − state ts, ms) of states that arrived at or after `fromMs` (wall clock). */
  latencies(fromMs: number): number[];
  /** Newest state ts seen per rig. */
  readonly newestTs: ReadonlyMap<string, number>;
  /** States that arrived with a ts older than one already seen for their rig. */
  readonly regressions: number;
  /** Resolves with the arrival time of the first state of `rig` newer than `afterTs` (or null after `timeoutMs`). */
  nextNewer(rig: string, afterTs: number, timeoutMs: number): Promise<number | null>;
  close(): Promise<void>;
}

/** Subscribes (PSUBSCRIBE `<prefix>:score:*`) on `url`; in a cluster every node sees every PUBLISH. */
export async function watchScores(url: string, prefix = 'telemetry'): Promise<ScoreWatch> {
  const client = createClient({ url });
  client.on('error', () => undefined); // the bench's target stays up; a reconnect is not a result
  await client.connect();
  const arrivals: Array<{ atMs: number; latencyMs: number }> = [];
  const newestTs = new Map<string, number>();
  const waiters = new Map<string, Array<{ afterTs: number; resolve: (atMs: number) => void }>>();
  let regressions = 0;
  const head = `${prefix}:score:`;
  await client.pSubscribe(`${head}*`, (message, channel) => {
    const atMs = Date.now();
    const rig = channel.slice(head.length);
    const m = /^\{"ts":(\d+)/.exec(message);
    if (m === null) return;
    const ts = Number(m[1]);
    arrivals.push({ atMs, latencyMs: atMs - ts });
    const held = newestTs.get(rig);
    if (held !== undefined && ts < held) regressions += 1;
    if (held === undefined || ts > held) newestTs.set(rig, ts);
    const list = waiters.get(rig);
    if (list === undefined) return;
    const still = list.filter((w) => {
      if (ts <= w.afterTs) return true;
      w.resolve(atMs);
      return false;
    });
    if (still.length === 0) waiters.delete(rig);
    else waiters.set(rig, still);
  });
  return {
    latencies: (fromMs) => arrivals.filter((a) => a.atMs >= fromMs).map((a) => a.latencyMs),
    newestTs,
    get regressions() {
      return regressions;
    },
    nextNewer(rig, afterTs, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        const list = waiters.get(rig) ?? [];
        list.push({
          afterTs,
          resolve: (atMs) => {
            clearTimeout(timer);
            resolve(atMs);
          },
        });
        waiters.set(rig, list);
      });
    },
    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}
