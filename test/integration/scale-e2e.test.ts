// Collector → partition streams → two in-process workers on a real redis-server: every poll is scored
// once in effect, and each rig's telemetry:last equals what the single-process service stores.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { fleetPolls, groupLag, pendingCount, referenceLast, startWorker, startWriter } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('two workers score every poll once; telemetry:last equals the single-process result', {
  skip,
}, async (t) => {
  const polls = fleetPolls(40);
  const w1 = await startWorker(redis.url, 'w1');
  const w2 = await startWorker(redis.url, 'w2');
  const { writer, port } = startWriter(redis.url);
  try {
    await waitUntil(
      () =>
        w1.worker.owned().length + w2.worker.owned().length === 8 &&
        w1.worker.owned().length > 0 &&
        w2.worker.owned().length > 0,
      'both workers own partitions',
    );
    // Half now, half while they run: entries arrive while reads block.
    const half = Math.floor(polls.length / 2);
    for (const p of polls.slice(0, half)) writer.append(p.rig, p.snapshots);
    await waitUntil(() => writer.isDrained, 'first half appended');
    for (const p of polls.slice(half)) writer.append(p.rig, p.snapshots);
    await waitUntil(() => writer.isDrained, 'all appended');
    assert.equal(writer.stats().added, polls.length);
    await waitUntil(async () => {
      const lag = await groupLag(port, 8);
      return lag.undelivered === 0 && (await pendingCount(port, 8)) === 0;
    }, 'every entry delivered and acknowledged');
    const s1 = w1.worker.stats();
    const s2 = w2.worker.stats();
    // Each entry is scored once, unless a lease lapsed on a busy machine and the next owner scored it
    // again (its results are then identical and written once: checked below).
    t.diagnostic(
      `scored ${s1.entries + s2.entries} entries of ${polls.length}; claimed ${s1.claimed + s2.claimed}, leases lost ${s1.leasesLost + s2.leasesLost}`,
    );
    assert.ok(s1.entries + s2.entries >= polls.length);
    if (s1.claimed + s2.claimed === 0)
      assert.equal(s1.entries + s2.entries, polls.length, 'each entry scored once');
    const expected = referenceLast(polls);
    for (const [rig, json] of expected) {
      const held = await port.command(`telemetry:last:${rig}`, ['GET', `telemetry:last:${rig}`]);
      assert.equal(held, json, `telemetry:last:${rig}`);
      const n = polls.filter((p) => p.rig === rig).reduce((a, p) => a + p.snapshots.length, 0);
      assert.equal(
        await port.command(`telemetry:snapshots:${rig}`, ['XLEN', `telemetry:snapshots:${rig}`]),
        n,
      );
    }
  } finally {
    await writer.close();
    await port.close();
    await w1.stop();
    await w2.stop();
  }
});
