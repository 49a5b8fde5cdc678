// A worker process killed with SIGKILL mid-stream: the surviving worker takes its partitions over once
// the leases expire, claims its pending entries (XAUTOCLAIM), rebuilds the windows from the stream and
// carries on: nothing lost, nothing scored twice, no rig's published state going back in time, and the
// final scores equal an uninterrupted single-process run (sep_score continues, it does not reset).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { partitionOf } from '../../src/sinks/valkey-streams/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import {
  fleetPolls,
  groupLag,
  pendingCount,
  referenceLast,
  spawnWorkerProcess,
  startWorker,
  startWriter,
} from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const PARTITIONS = 4;
const TTL_MS = 600;
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('SIGKILL of a worker: takeover claims its pending entries and scores continue', { skip }, async (t) => {
  const polls = fleetPolls(30);
  const perTick = 6;
  const survivor = await startWorker(redis.url, 'survivor', { partitions: PARTITIONS, leaseTtlMs: TTL_MS });
  const { child, stderr } = spawnWorkerProcess(redis.url, PARTITIONS, TTL_MS);
  const { writer, port } = startWriter(redis.url, 'site-a', PARTITIONS);
  const sub = createClient({ url: redis.url });
  const published = new Map<string, number[]>();
  const deviceBack: string[] = [];
  const deviceTs = new Map<string, number>();
  await sub.connect();
  await sub.pSubscribe('telemetry:score:*', (message) => {
    const state = JSON.parse(message) as {
      rig: string;
      ts: number;
      devices: Array<{ device: string; ts: number }>;
    };
    published.set(state.rig, [...(published.get(state.rig) ?? []), state.ts]);
    for (const d of state.devices) {
      const key = `${state.rig}/${d.device}`;
      if ((deviceTs.get(key) ?? 0) > d.ts) deviceBack.push(key);
      deviceTs.set(key, d.ts);
    }
  });
  const settled = async () =>
    (await groupLag(port, PARTITIONS)).undelivered === 0 && (await pendingCount(port, PARTITIONS)) === 0;
  try {
    await waitUntil(async () => {
      const owned = survivor.worker.owned().length;
      const leased = await Promise.all(
        Array.from({ length: PARTITIONS }, (_, p) =>
          port.command(`rigtune:lease:{${p}}`, ['GET', `rigtune:lease:{${p}}`]),
        ),
      );
      return (
        survivor.worker.live().length === 2 && owned === PARTITIONS / 2 && leased.every((v) => v !== null)
      );
    }, `both workers hold two partitions (child: ${stderr()})`);
    const childParts = Array.from({ length: PARTITIONS }, (_, p) => p).filter(
      (p) => !survivor.worker.owned().includes(p),
    );
    const childRigs = new Set(
      polls.filter((p) => childParts.includes(partitionOf(p.rig, PARTITIONS))).map((p) => p.rig),
    );
    assert.ok(childRigs.size > 0, 'the child owns partitions with rigs');

    const first = 10 * perTick;
    for (const p of polls.slice(0, first)) writer.append(p.rig, p.snapshots);
    await waitUntil(settled, 'first part scored by both workers');
    assert.ok(survivor.worker.stats().entries < first, 'the child scored part of it');

    // Stopped, the child still receives what is appended now (its blocked reads), but cannot process it.
    child.kill('SIGSTOP');
    const second = 15 * perTick;
    for (const p of polls.slice(first, second)) writer.append(p.rig, p.snapshots);
    await waitUntil(
      async () => writer.isDrained && (await groupLag(port, PARTITIONS)).undelivered === 0,
      'second part delivered',
    );
    assert.ok((await pendingCount(port, PARTITIONS)) > 0, "entries wait in the child's pending list");
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    for (const p of polls.slice(second)) writer.append(p.rig, p.snapshots);
    await waitUntil(
      () => survivor.worker.owned().length === PARTITIONS,
      'the survivor owns every partition',
      {
        timeoutMs: TTL_MS + 10_000,
      },
    );
    t.diagnostic(`takeover after ${Date.now() - killedAt} ms (lease ttl ${TTL_MS} ms)`);
    await waitUntil(settled, 'everything scored after the takeover');

    const s = survivor.worker.stats();
    assert.ok(s.claimed > 0, 'pending entries of the dead worker were claimed');
    assert.ok(s.takeovers >= PARTITIONS, 'partitions taken over with a rebuild');
    assert.deepEqual(deviceBack, [], 'no device state went back in time');
    for (const [rig, list] of published)
      for (let i = 1; i < list.length; i++) assert.ok(list[i] >= list[i - 1], `${rig} published ts in order`);
    for (const [rig, json] of referenceLast(polls)) {
      assert.equal(await port.command(`telemetry:last:${rig}`, ['GET', `telemetry:last:${rig}`]), json, rig);
      const n = polls.filter((p) => p.rig === rig).reduce((a, p) => a + p.snapshots.length, 0);
      assert.equal(
        await port.command(`telemetry:snapshots:${rig}`, ['XLEN', `telemetry:snapshots:${rig}`]),
        n,
        `${rig} records once`,
      );
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sub.close().catch(() => undefined);
    await writer.close();
    await port.close();
    await survivor.stop();
  }
});
