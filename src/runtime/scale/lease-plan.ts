// Pure lease arithmetic of the workers: each live worker's fair share of the partitions, which
// partitions it prefers (rendezvous hashing), what to take and release, and how long a lease is safe.

import { fnv1a32 } from '../../sinks/valkey-streams/index.ts';

/**
 * Partitions `me` should own among `live` workers (instance names; `me` counted even if missing):
 * ⌊n/m⌋, plus one for the first n mod m workers in name order. The shares sum to n.
 */
export function fairShare(me: string, live: readonly string[], partitions: number): number {
  const all = [...new Set([...live, me])].sort();
  const m = all.length;
  const base = Math.floor(partitions / m);
  return base + (all.indexOf(me) < partitions % m ? 1 : 0);
}

/** How much `worker` wants partition `p` (rendezvous hashing: stable while membership changes). */
export function preference(worker: string, p: number): number {
  return fnv1a32(`${worker}#${p}`);
}

export interface LeaseView {
  /** This worker's instance name. */
  readonly me: string;
  /** Live worker instances (membership), in any order. */
  readonly live: readonly string[];
  readonly partitions: number;
  /** Partitions whose lease this worker holds. */
  readonly mine: readonly number[];
  /** Partitions whose lease nobody holds. */
  readonly free: readonly number[];
}

export interface LeasePlan {
  /** Free partitions to acquire now, most preferred first. */
  readonly take: readonly number[];
  /** Held partitions above the fair share, to finish and release, least preferred first. */
  readonly release: readonly number[];
}

/**
 * One round of the deterministic assignment: a worker above its share releases its least preferred
 * partitions; one below takes its most preferred free ones. Every worker applying it each round
 * converges to every partition owned and every worker at its share, within two rounds of the last
 * membership change (plus a lease ttl when a dead worker's leases must expire first).
 */
export function planLeases(v: LeaseView): LeasePlan {
  const target = fairShare(v.me, v.live, v.partitions);
  const byPref = (a: number, b: number) => preference(v.me, b) - preference(v.me, a) || a - b;
  if (v.mine.length > target) {
    const release = [...v.mine].sort(byPref).slice(target).reverse();
    return { take: [], release };
  }
  const take = [...v.free].sort(byPref).slice(0, target - v.mine.length);
  return { take, release: [] };
}

/**
 * Until when (this process's monotonic ms) a lease renewed by a request sent at `sentAtMs` may be
 * used: the server counts the ttl from when it ran the request, which is after it was sent, so the
 * lease is ours at least until `sentAtMs + ttlMs`; `marginMs` covers clock-rate differences and the
 * time to stop a batch in flight.
 */
export function leaseDeadline(sentAtMs: number, ttlMs: number, marginMs: number): number {
  return sentAtMs + ttlMs - marginMs;
}

/** Renewal period for a lease ttl: a third of it, so two renewals may fail before it expires. */
export function renewPeriodMs(ttlMs: number): number {
  return Math.max(1, Math.floor(ttlMs / 3));
}
