// A takeover whose replay cannot see an episode's raise (history trimmed, as MAXLEN or a short
// rebuild_ms would): the new owner takes the active advice from telemetry:advice:{rig} and continues
// each episode under its id instead of raising it a second time.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AdvicePayload } from '../../src/control/advisory/index.ts';
import type { ControlRecord } from '../../src/core/sink.ts';
import { readActiveAdvice } from '../../src/runtime/scale/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { fleetPolls, groupLag, pendingCount, startWorker, startWriter } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const PARTITIONS = 2;
const FAULTS = ['rig0', 'rig1', 'rig2', 'rig3'].map((r) => `fan_failure@${r}/gpu0@5s+300s`).join(',');
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const slotOf = (p: AdvicePayload) => `${p.kind}/${p.target.rig}/${p.target.device ?? '*'}`;

test('episodes raised before the replayed history continue under their ids', { skip }, async () => {
  const polls = fleetPolls(60, 7, 1_700_000_000_000, FAULTS);
  const rigs = [...new Set(polls.map((p) => p.rig))];
  const { writer, port } = startWriter(redis.url, 'site-a', PARTITIONS);
  const settled = async () =>
    writer.isDrained &&
    (await groupLag(port, PARTITIONS)).undelivered === 0 &&
    (await pendingCount(port, PARTITIONS)) === 0;
  const activeByRig = async () => {
    const out = new Map<string, ControlRecord[]>();
    for (const rig of rigs) out.set(rig, await readActiveAdvice(port, 'telemetry', rig));
    return out;
  };
  try {
    const a = await startWorker(redis.url, 'a', { partitions: PARTITIONS });
    await waitUntil(() => a.worker.owned().length === PARTITIONS, 'a owns every partition');
    const half = 30 * 6;
    for (const p of polls.slice(0, half)) writer.append(p.rig, p.snapshots);
    await waitUntil(settled, 'first half scored by a');
    await a.stop();
    const before = await activeByRig();
    const raised = new Map<string, string>();
    for (const records of before.values())
      for (const r of records) raised.set(slotOf(r.payload as AdvicePayload), String(r.payload.id));
    assert.ok(raised.size >= 4, `episodes active before the takeover (${raised.size})`);
    // The history is gone: the next owner's replay sees none of these raises.
    for (let p = 0; p < PARTITIONS; p++)
      await port.command(`telemetry:snapshots:{${p}}`, [
        'XTRIM',
        `telemetry:snapshots:{${p}}`,
        'MAXLEN',
        '0',
      ]);
    const b = await startWorker(redis.url, 'b', { partitions: PARTITIONS });
    try {
      for (const p of polls.slice(half)) writer.append(p.rig, p.snapshots);
      await waitUntil(
        async () => b.worker.owned().length === PARTITIONS && (await settled()),
        'second half scored by b',
      );
      const afterwards = await activeByRig();
      for (const [rig, records] of afterwards) {
        const slots = records.map((r) => slotOf(r.payload as AdvicePayload));
        assert.equal(new Set(slots).size, slots.length, `${rig}: one episode per slot`);
        for (const r of records) {
          const was = raised.get(slotOf(r.payload as AdvicePayload));
          if (was !== undefined) assert.equal(r.payload.id, was, `${rig}: the episode kept its id`);
        }
      }
    } finally {
      await b.stop();
    }
  } finally {
    await writer.close();
    await port.close();
  }
});
