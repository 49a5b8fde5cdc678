// Smoke test of the scale-out key layout on a real 3-master Redis Cluster (node-redis createCluster):
// partition streams on distinct masters, consumer groups per partition, and a master restart mid-write.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCluster } from 'redis';
import { hasRedisCluster, keySlot, type RedisCluster, startRedisCluster } from '../helpers/redis-cluster.ts';
import { waitUntil } from '../helpers/redis-server.ts';

const PARTITIONS = 12;
const GROUP = 'scorers';
const streamKey = (p: number) => `telemetry:snapshots:{${p}}`;

function clusterClient(cluster: RedisCluster) {
  return createCluster({
    rootNodes: [...cluster.rootNodes],
    defaults: {
      socket: { connectTimeout: 500, reconnectStrategy: (n: number) => Math.min(20 * (n + 1), 200) },
    },
  });
}
type Cluster = ReturnType<typeof clusterClient>;

async function connect(cluster: RedisCluster): Promise<Cluster> {
  const client = clusterClient(cluster);
  // A restarted master makes its node client report errors while it reconnects: expected here.
  client.on('error', () => undefined);
  client.on('node-error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Runs `fn` until it succeeds: while a master restarts its node refuses connections, and once up it
 * answers CLUSTERDOWN until it has met its peers again (bounded: about 10 s).
 */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 1000) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** XADD with an explicit id; an id the stream already passed means an earlier try was applied. */
async function appendOnce(client: Cluster, key: string, id: string, seq: number): Promise<void> {
  await retry(async () => {
    try {
      await client.xAdd(key, id, { seq: String(seq) });
    } catch (err) {
      if (!String(err).includes('equal or smaller')) throw err; // else an earlier try landed: applied once
    }
  });
}

/**
 * Claims the partition's pending entries and reads its new ones as `consumer`, "processes" each
 * (`process(id)`, before any acknowledgement, as a worker scores before it acks), then XACKs them.
 */
async function drain(
  client: Cluster,
  key: string,
  consumer: string,
  process: (id: string) => void,
): Promise<void> {
  const ids: string[] = [];
  const claimed = await client.xAutoClaim(key, GROUP, consumer, 0, '0-0', { COUNT: 1000 });
  for (const m of claimed.messages) if (m !== null) ids.push(m.id);
  for (;;) {
    const reply = await client.xReadGroup(GROUP, consumer, { key, id: '>' }, { COUNT: 500 });
    const batch =
      reply === null ? [] : (reply as { messages: { id: string }[] }[]).flatMap((s) => s.messages);
    if (batch.length === 0) break;
    ids.push(...batch.map((m) => m.id));
  }
  for (const id of ids) process(id);
  if (ids.length > 0) await client.xAck(key, GROUP, ids);
}

describe('scale-out streams on a 3-master cluster', { skip: !hasRedisCluster() }, () => {
  let cluster: RedisCluster;
  let client: Cluster;

  before(async () => {
    cluster = await startRedisCluster();
    client = await connect(cluster);
  });
  after(async () => {
    await client?.destroy();
    await cluster?.stop();
  });

  test('partition streams hash to the slot of their tag and spread over all three masters', async () => {
    const owners = new Set<number>();
    for (let p = 0; p < PARTITIONS; p++) {
      const slot = keySlot(streamKey(p));
      assert.equal(slot, Number((await cluster.cli(0, 'CLUSTER', 'KEYSLOT', streamKey(p))).trim()));
      assert.equal(slot, keySlot(`telemetry:anything:{${p}}`), 'the tag alone picks the slot');
      owners.add(await cluster.masterOfSlot(slot));
    }
    assert.deepEqual([...owners].sort(), [0, 1, 2]);
  });

  test('per-partition pipelines append; groups deliver each entry once; XAUTOCLAIM takes a dead consumer’s', async () => {
    for (let p = 0; p < PARTITIONS; p++) {
      await client.xGroupCreate(streamKey(p), GROUP, '0', { MKSTREAM: true });
      const multi = client.multi();
      for (let n = 0; n < 20; n++) {
        multi.xAdd(
          streamKey(p),
          '*',
          { seq: String(n) },
          { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 1000 } },
        );
      }
      const ids = await multi.execAsPipeline();
      assert.equal(ids.length, 20);
    }
    // One call cannot read partitions on different slots: readers go partition by partition.
    await assert.rejects(
      client.xReadGroup(GROUP, 'w1', [
        { key: streamKey(0), id: '>' },
        { key: streamKey(1), id: '>' },
      ]),
      /CROSSSLOT|different slots/i,
    );
    const seen = new Map<string, number>();
    for (let p = 0; p < PARTITIONS; p++) {
      // w1 reads everything but dies before it acknowledges; w2 claims its pending entries.
      const read = await client.xReadGroup(GROUP, 'w1', { key: streamKey(p), id: '>' }, { COUNT: 1000 });
      assert.ok(read !== null);
      const pending = await client.xPending(streamKey(p), GROUP);
      assert.equal(pending.pending, 20);
      await drain(client, streamKey(p), 'w2', (id) =>
        seen.set(`${p}/${id}`, (seen.get(`${p}/${id}`) ?? 0) + 1),
      );
      assert.equal((await client.xPending(streamKey(p), GROUP)).pending, 0);
    }
    assert.equal(seen.size, PARTITIONS * 20);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  test('a master killed and restarted mid-write: every acknowledged entry survives, once, in order', async () => {
    const keys = Array.from({ length: PARTITIONS }, (_, p) => `telemetry:snapshots:{r${p}}`);
    const victim = await cluster.masterOfSlot(keySlot(keys[0] ?? ''));
    for (const key of keys) await client.xGroupCreate(key, GROUP, '0', { MKSTREAM: true });
    const acked: number[] = keys.map(() => 0);
    let restarted = false;
    let roundsAfter = 0;
    const processed = new Set<string>();
    const writer = (async () => {
      for (let seq = 1; !restarted || roundsAfter < 20; seq++) {
        if (restarted) roundsAfter++;
        await Promise.all(
          keys.map(async (key, p) => {
            await appendOnce(client, key, `${seq}-0`, seq);
            acked[p] = seq;
          }),
        );
        if (seq % 5 !== 0) continue;
        for (const key of keys)
          await retry(() => drain(client, key, 'w1', (id) => processed.add(`${key}/${id}`)));
      }
    })();
    writer.catch(() => undefined); // awaited below; this only keeps a failure from escaping early
    await waitUntil(() => acked.every((n) => n >= 10), 'ten rounds acknowledged before the restart');
    await cluster.restartMaster(victim, 'SIGKILL');
    restarted = true;
    await writer;
    for (const [p, key] of keys.entries()) {
      const ids = ((await client.xRange(key, '-', '+')) ?? []).map((e) => e?.id);
      const expected = Array.from({ length: acked[p] ?? 0 }, (_, k) => `${k + 1}-0`);
      assert.deepEqual(ids, expected, `${key}: every acknowledged entry, once, in order`);
      await drain(client, key, 'w2', (id) => processed.add(`${key}/${id}`));
      assert.equal((await client.xPending(key, GROUP)).pending, 0);
    }
    const total = acked.reduce((a, b) => a + b, 0);
    assert.equal(processed.size, total, 'every entry processed by the group, none twice in effect');
  });
});
