// A worker that reads a rig's backlog in one go still stores and publishes the rig's state after every
// poll, in order — as `rigtune run` publishes every tick — so a subscriber (the site's auto-tune rupture
// guard, the dashboard) never misses an intermediate state such as a short meso rupture.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import type { RigState } from '../../src/core/sink.ts';
import { RigScorer } from '../../src/runtime/rig-scorer.ts';
import { stateJson } from '../../src/runtime/scale/results.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { fleetPolls, startWorker, startWriter } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

test('a backlog read at once: every poll state is published, in order, equal to rigtune run', {
  skip,
}, async () => {
  const polls = fleetPolls(30).filter((p) => p.rig === 'rig0');
  const expected: string[] = [];
  const scorer = new RigScorer('rig0', {});
  for (const p of polls) expected.push(stateJson(scorer.score(p.snapshots).state));

  const heard: string[] = [];
  const sub = createClient({ url: redis.url });
  sub.on('error', () => undefined);
  await sub.connect();
  await sub.subscribe('telemetry:score:rig0', (message) => heard.push(message));
  // The whole backlog is in the stream before any worker reads it.
  const { writer, port } = startWriter(redis.url);
  for (const p of polls) writer.append(p.rig, p.snapshots);
  await waitUntil(() => writer.isDrained, 'backlog appended');
  const w = await startWorker(redis.url, 'w1');
  try {
    await waitUntil(() => heard.length >= polls.length, 'every state published');
    assert.equal(heard.length, polls.length);
    assert.deepEqual(heard, expected);
    const ts = heard.map((m) => (JSON.parse(m) as RigState).ts);
    assert.ok(
      ts.every((t, i) => i === 0 || t > ts[i - 1]),
      'in time order',
    );
    assert.ok(w.worker.stats().entries >= polls.length);
  } finally {
    await w.stop();
    await writer.close();
    await port.close();
    await sub.quit();
  }
});
