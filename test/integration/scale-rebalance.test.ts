// Adding a worker rebalances the partitions to fair shares, and removing one (a graceful stop) hands
// its partitions to the others; both within a bounded number of lease rounds, with real short leases.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { startWorker } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const TTL_MS = 300;
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('workers joining and leaving rebalance the partitions to fair shares', { skip }, async (t) => {
  const opts = { partitions: 8, leaseTtlMs: TTL_MS, blockMs: 30 };
  const a = await startWorker(redis.url, 'a', opts);
  const workers = [a];
  const shares = () => workers.map((w) => w.worker.owned().length).sort();
  const disjoint = () => {
    const all = workers.flatMap((w) => w.worker.owned());
    return new Set(all).size === all.length;
  };
  // Bound: a few lease rounds (ttl/3 each) plus slack for a busy machine; never asserted as a speed.
  const bound = { timeoutMs: 20 * TTL_MS + 5000 };
  try {
    await waitUntil(() => a.worker.owned().length === 8, 'a alone owns all 8', bound);
    const b = await startWorker(redis.url, 'b', opts);
    workers.push(b);
    let at = Date.now();
    await waitUntil(() => shares().join() === '4,4' && disjoint(), 'a and b own 4 each', bound);
    t.diagnostic(`join of b rebalanced in ${Date.now() - at} ms`);
    const c = await startWorker(redis.url, 'c', opts);
    workers.push(c);
    at = Date.now();
    await waitUntil(() => shares().join() === '2,3,3' && disjoint(), 'a, b, c own 3, 3, 2', bound);
    t.diagnostic(`join of c rebalanced in ${Date.now() - at} ms`);
    await b.stop();
    workers.splice(workers.indexOf(b), 1);
    at = Date.now();
    await waitUntil(() => shares().join() === '4,4' && disjoint(), 'a and c own 4 each after b left', bound);
    t.diagnostic(`leave of b rebalanced in ${Date.now() - at} ms`);
    assert.ok(a.worker.stats().leasesReleased > 0, 'a released partitions above its share');
  } finally {
    for (const w of workers) await w.stop();
  }
});
