// Collector → partition streams → two workers on a real 3-master Redis Cluster, with a master killed and
// restarted mid-run: every poll scored once in effect, no rig's published state going back in time, and
// each rig's telemetry:last equal to the single-process result (windows rebuilt, not reset, on takeover).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { openValkey, type ValkeyPort, Worker } from '../../src/runtime/scale/index.ts';
import { create as createWriter, partitionOf, scaleKeys } from '../../src/sinks/valkey-streams/index.ts';
import { hasRedisCluster, keySlot, type RedisCluster, startRedisCluster } from '../helpers/redis-cluster.ts';
import { waitUntil } from '../helpers/redis-server.ts';
import { fleetPolls, groupLag, pendingCount, referenceLast, silent, testWorkerOptions } from './scale-kit.ts';

const skip = hasRedisCluster() ? false : 'redis-server or redis-cli not installed';
const PARTITIONS = 8;
const keys = scaleKeys();
let cluster: RedisCluster;
const spool = mkdtempSync(join(tmpdir(), 'rigtune-cluster-scale-'));

before(async () => {
  if (!skip) cluster = await startRedisCluster();
});
after(async () => {
  await cluster?.stop();
  rmSync(spool, { recursive: true, force: true });
});

/** A port on the cluster (several seed URLs select the cluster client). */
function clusterPort(): ValkeyPort {
  return openValkey({ urls: cluster.rootNodes.map((n) => n.url), reconnectMaxMs: 100 });
}

async function startClusterWorker(id: string) {
  const port = clusterPort();
  const worker = new Worker(testWorkerOptions(id, { partitions: PARTITIONS }), { port, logger: silent });
  await worker.start();
  return {
    worker,
    async stop() {
      await worker.stop();
      await port.close();
    },
  };
}

test('a master killed and restarted mid-run: every poll scored once, states never go back', {
  skip,
}, async (t) => {
  // The partitions really live on all three masters.
  const owners = new Set<number>();
  for (let p = 0; p < PARTITIONS; p++) owners.add(await cluster.masterOfSlot(keySlot(keys.snapshots(p))));
  assert.equal(owners.size, 3, 'partition streams spread over the three masters');
  // The victim holds the membership set: while it is down no worker can renew anything.
  const victim = await cluster.masterOfSlot(keySlot(keys.workers));
  const watched = cluster.nodes[(victim + 1) % 3]?.url ?? '';

  const polls = fleetPolls(60);
  const w1 = await startClusterWorker('w1');
  const w2 = await startClusterWorker('w2');
  const port = clusterPort();
  const writer = createWriter(
    {
      collector_id: 'site-a',
      partitions: PARTITIONS,
      spool_dir: spool,
      spool_fsync_interval_ms: 0,
      command_timeout_ms: 500,
      retry_max_ms: 100,
    },
    { port, logger: silent },
  );
  // PUBLISH reaches every node of a cluster: watch on a node that stays up.
  const sub = createClient({ url: watched });
  sub.on('error', () => undefined);
  const newest = new Map<string, number>();
  const backwards: string[] = [];
  await sub.connect();
  await sub.pSubscribe('telemetry:score:*', (message) => {
    const state = JSON.parse(message) as {
      rig: string;
      ts: number;
      devices: Array<{ device: string; ts: number }>;
    };
    if ((newest.get(state.rig) ?? 0) > state.ts) backwards.push(`${state.rig}@${state.ts}`);
    newest.set(state.rig, Math.max(state.ts, newest.get(state.rig) ?? 0));
    for (const d of state.devices) {
      const key = `${state.rig}/${d.device}`;
      if ((newest.get(key) ?? 0) > d.ts) backwards.push(`${key}@${d.ts}`);
      newest.set(key, Math.max(d.ts, newest.get(key) ?? 0));
    }
  });
  const settled = async () =>
    writer.isDrained &&
    (await groupLag(port, PARTITIONS)).undelivered === 0 &&
    (await pendingCount(port, PARTITIONS)) === 0;
  try {
    await waitUntil(
      () => w1.worker.owned().length === PARTITIONS / 2 && w2.worker.owned().length === PARTITIONS / 2,
      'both workers hold half of the partitions',
    );
    const third = Math.floor(polls.length / 3);
    for (const p of polls.slice(0, third)) writer.append(p.rig, p.snapshots);
    await waitUntil(settled, 'the first third scored');

    // The second third goes in while the master is down and coming back: the writer spools and resends.
    for (const p of polls.slice(third, 2 * third)) writer.append(p.rig, p.snapshots);
    await cluster.restartMaster(victim, 'SIGKILL');
    for (const p of polls.slice(2 * third)) writer.append(p.rig, p.snapshots);
    await waitUntil(
      () => w1.worker.owned().length + w2.worker.owned().length === PARTITIONS,
      'every partition owned again',
    );
    await waitUntil(settled, 'everything scored after the restart', { timeoutMs: 25_000 });

    const s1 = w1.worker.stats();
    const s2 = w2.worker.stats();
    t.diagnostic(
      `takeovers ${s1.takeovers + s2.takeovers}, claimed ${s1.claimed + s2.claimed}, ` +
        `leases lost ${s1.leasesLost + s2.leasesLost}, failures ${s1.failures + s2.failures}, ` +
        `writer failures ${writer.stats().failures}, spooled ${writer.stats().spooledTotal}`,
    );
    // Every poll is in its partition stream exactly once (a resend after a partial failure is skipped).
    assert.equal((await groupLag(port, PARTITIONS)).length, polls.length, 'every poll appended once');
    assert.deepEqual(backwards, [], 'no published rig or device state went back in time');
    const expected = referenceLast(polls);
    for (const [rig, json] of expected) {
      const last = `telemetry:last:${rig}`;
      assert.equal(await port.command(last, ['GET', last]), json, `${last} equals the single-process state`);
      const n = polls.filter((p) => p.rig === rig).reduce((a, p) => a + p.snapshots.length, 0);
      const stream = `telemetry:snapshots:${rig}`;
      assert.equal(await port.command(stream, ['XLEN', stream]), n, `${stream}: each snapshot once`);
    }
    // The rigs really were spread over partitions on all masters.
    const used = new Set(polls.map((p) => partitionOf(p.rig, PARTITIONS)));
    assert.ok(used.size > 1);
  } finally {
    await sub.close().catch(() => undefined);
    await writer.close();
    await port.close();
    await w1.stop();
    await w2.stop();
  }
});
