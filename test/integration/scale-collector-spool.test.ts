// The collector's stream writer while redis-server is away: entries go to the disk spool, and once the
// server is back they are appended in order, before anything newer, each exactly once.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { entriesOf } from '../../src/runtime/scale/replies.ts';
import {
  APPEND_SCRIPT,
  decodeEntry,
  encodeEntry,
  partitionOf,
} from '../../src/sinks/valkey-streams/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { fleetPolls, startWriter } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('entries spool while Valkey is down and catch up in order, once each', { skip }, async () => {
  const polls = fleetPolls(12);
  const { writer, port } = startWriter(redis.url, 'site-a', 4);
  try {
    const third = polls.length / 3;
    for (const p of polls.slice(0, third)) writer.append(p.rig, p.snapshots);
    await waitUntil(() => writer.isDrained, 'first third appended');
    // SHUTDOWN SAVE keeps what the server acknowledged; restart loads it (an outage, not a data loss).
    await redis.shutdownSave();
    for (const p of polls.slice(third, 2 * third)) writer.append(p.rig, p.snapshots);
    await waitUntil(() => writer.health().spooled > 0 && !writer.health().ok, 'entries spooled while down');
    await redis.restart();
    for (const p of polls.slice(2 * third)) writer.append(p.rig, p.snapshots);
    await waitUntil(() => writer.isDrained, 'spool replayed and the rest appended');
    const s = writer.stats();
    assert.ok(s.spooledTotal > 0 && s.replayed > 0, 'the spool was used');

    // Every poll once, and per rig in the order it was polled (per partition in collector order).
    const seen: Array<{ rig: string; seq: number; ts: number }> = [];
    for (let p = 0; p < 4; p++) {
      const key = `telemetry:snapshots:{${p}}`;
      for (const [, fields] of entriesOf(await port.command(key, ['XRANGE', key, '-', '+']))) {
        const d = decodeEntry(fields);
        assert.ok(d.ok);
        seen.push({ rig: d.entry.rig, seq: d.entry.seq, ts: d.entry.ts });
      }
    }
    assert.equal(seen.length, polls.length, 'nothing lost, nothing duplicated');
    for (const rig of new Set(polls.map((p) => p.rig))) {
      const got = seen.filter((e) => e.rig === rig);
      const want = polls.filter((p) => p.rig === rig).map((p) => p.snapshots[0].ts);
      assert.deepEqual(
        got.map((e) => e.ts),
        want,
        `${rig} in order`,
      );
      for (let i = 1; i < got.length; i++) assert.ok(got[i].seq > got[i - 1].seq);
    }
    const partitions = await port.command('rigtune:partitions', ['GET', 'rigtune:partitions']);
    assert.equal(partitions, '4', 'the partition count is set again after the restart');
  } finally {
    await writer.close();
    await port.close();
  }
});

test('a resend of entries the server already has changes nothing (append guard)', { skip }, async () => {
  const { writer, port } = startWriter(redis.url, 'site-b', 4);
  try {
    const [poll] = fleetPolls(1);
    writer.append(poll.rig, poll.snapshots);
    await waitUntil(() => writer.isDrained, 'appended');
    const part = partitionOf(poll.rig, 4);
    const key = `telemetry:snapshots:{${part}}`;
    const fields = encodeEntry({
      rig: 'x',
      collector: 'site-b',
      seq: 1,
      ts: 1,
      cfg: '',
      snapshots: [],
      tickMs: 1,
    });
    const before = Number(await port.command(key, ['XLEN', key]));
    const argv = ['site-b', '1000', '1', String(fields.length / 2), ...fields];
    // seq 1 is below what site-b already appended (its sequence starts at clock ms × 1000).
    assert.deepEqual(
      await port.runScript(APPEND_SCRIPT, [key, `rigtune:collector-seq:{${part}}`], argv),
      [0, 1],
    );
    assert.equal(Number(await port.command(key, ['XLEN', key])), before);
  } finally {
    await writer.close();
    await port.close();
  }
});
