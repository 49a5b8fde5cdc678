// Advice across a SIGKILL'd worker: the survivor replays the dead worker's history into its advisory
// engine without publishing, so every rig's advice records are published exactly once, in order, and
// the active advice hash ends as the single-process service leaves it: none lost, repeated or cleared.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { mapOf } from '../../src/runtime/scale/replies.ts';
import { partitionOf } from '../../src/sinks/valkey-streams/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import {
  fleetPolls,
  groupLag,
  pendingCount,
  referenceAdvice,
  spawnWorkerProcess,
  startWorker,
  startWriter,
} from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const PARTITIONS = 4;
const TTL_MS = 600;
const PER_TICK = 6;
/** A fan failure on gpu0 of every GPU rig from 5 s on: episodes raise before the kill and update after. */
const FAULTS = ['rig0', 'rig1', 'rig2', 'rig3'].map((r) => `fan_failure@${r}/gpu0@5s+300s`).join(',');
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('SIGKILL of a worker: advice continues without loss, repeats or spurious clears', {
  skip,
}, async (t) => {
  const polls = fleetPolls(60, 7, 1_700_000_000_000, FAULTS);
  const expected = referenceAdvice(polls);
  const survivor = await startWorker(redis.url, 'survivor', { partitions: PARTITIONS, leaseTtlMs: TTL_MS });
  const { child, stderr } = spawnWorkerProcess(redis.url, PARTITIONS, TTL_MS);
  const { writer, port } = startWriter(redis.url, 'site-a', PARTITIONS);
  const sub = createClient({ url: redis.url });
  sub.on('error', () => undefined);
  const heard = new Map<string, string[]>();
  await sub.connect();
  await sub.pSubscribe('telemetry:advice:*', (message, channel) => {
    const rig = channel.slice('telemetry:advice:'.length);
    heard.set(rig, [...(heard.get(rig) ?? []), message]);
  });
  const settled = async () =>
    (await groupLag(port, PARTITIONS)).undelivered === 0 && (await pendingCount(port, PARTITIONS)) === 0;
  try {
    await waitUntil(
      () => survivor.worker.live().length === 2 && survivor.worker.owned().length === PARTITIONS / 2,
      `both workers hold two partitions (child: ${stderr()})`,
    );
    const childParts = [0, 1, 2, 3].filter((p) => !survivor.worker.owned().includes(p));
    const childRigs = [...expected.published.keys()].filter((r) =>
      childParts.includes(partitionOf(r, PARTITIONS)),
    );
    t.diagnostic(`the child owns partitions ${childParts} with advising rigs ${childRigs}`);
    const first = 30 * PER_TICK;
    for (const p of polls.slice(0, first)) writer.append(p.rig, p.snapshots);
    await waitUntil(settled, 'first part scored by both workers');
    child.kill('SIGSTOP');
    const second = 40 * PER_TICK;
    for (const p of polls.slice(first, second)) writer.append(p.rig, p.snapshots);
    await waitUntil(
      async () => writer.isDrained && (await groupLag(port, PARTITIONS)).undelivered === 0,
      'second part delivered',
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    for (const p of polls.slice(second)) writer.append(p.rig, p.snapshots);
    await waitUntil(
      () => survivor.worker.owned().length === PARTITIONS,
      'the survivor owns every partition',
      {
        timeoutMs: TTL_MS + 10_000,
      },
    );
    await waitUntil(settled, 'everything scored after the takeover');
    const total = [...expected.published.values()].reduce((a, l) => a + l.length, 0);
    await waitUntil(
      () => [...heard.values()].reduce((a, l) => a + l.length, 0) >= total,
      'every advice record heard',
    );
    assert.ok(survivor.worker.stats().claimed > 0, 'pending entries of the dead worker were claimed');
    assert.ok(childRigs.length > 0, 'the dead worker advised rigs');
    for (const [rig, records] of expected.published) {
      assert.deepEqual(heard.get(rig), records, `${rig}: each advice record published once, in order`);
      const key = `telemetry:advice:${rig}`;
      const held = Object.fromEntries(mapOf(await port.command(key, ['HGETALL', key])));
      assert.deepEqual(held, expected.active.get(rig) ?? {}, `${rig}: the active advice hash`);
    }
    assert.deepEqual([...heard.keys()].sort(), [...expected.published.keys()].sort());
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sub.close().catch(() => undefined);
    await writer.close();
    await port.close();
    await survivor.stop();
  }
});
