// Advice in scale-out equals advice of `rigtune run`: the same simulated fan failure read on one fake
// clock by the single-process Service (Valkey sink, prefix `ref`) and by a Collector feeding a worker
// (prefix `telemetry`) gives the same telemetry:advice:{rig} hash and the same records on its channel.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { Collector, rigSettingsOf } from '../../src/runtime/scale/index.ts';
import { mapOf } from '../../src/runtime/scale/replies.ts';
import { Service, type ServiceRig } from '../../src/runtime/service.ts';
import { create as createValkey } from '../../src/sinks/valkey/index.ts';
import { SimFleetSource } from '../fakes/sim-fleet-source.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { groupLag, pendingCount, silent, simFaultFleet, startWorker, startWriter } from './scale-kit.ts';

const T0 = Date.UTC(2026, 10, 1, 12);
const skip = hasRedisServer() ? false : 'redis-server not installed';
const root = mkdtempSync(join(tmpdir(), 'rigtune-scale-advice-'));
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

const rigOf = (source: SimFleetSource): ServiceRig => ({
  name: 'rig0',
  scorer: {},
  sources: [{ source, fastCapable: false }],
});

test('collector + worker publish the advice hash and records `rigtune run` publishes', {
  skip,
}, async (t) => {
  const clock = new FakeClock(T0);
  const sampling = { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 };
  // The single-process reference on prefix `ref`.
  const sink = createValkey(
    { url: redis.url, key_prefix: 'ref', spool_dir: join(root, 'spool') },
    { logger: silent },
  );
  const service = new Service([rigOf(new SimFleetSource(simFaultFleet(T0), 'rig0'))], sampling, {
    clock,
    timers: clock,
    logger: silent,
    sinks: [sink],
  });
  // Scale-out on the default prefix: a collector on the same clock, one worker.
  const worker = await startWorker(redis.url, 'w1', { partitions: 4 });
  const { writer, port } = startWriter(redis.url, 'site-a', 4);
  const rig = rigOf(new SimFleetSource(simFaultFleet(T0), 'rig0'));
  const collector = new Collector([rig], sampling, { clock, timers: clock, logger: silent, writer });
  assert.deepEqual(rigSettingsOf(rig), { scorer: {} });
  const sub = createClient({ url: redis.url });
  sub.on('error', () => undefined);
  await sub.connect();
  t.after(() => sub.destroy());
  const heard = { ref: [] as string[], telemetry: [] as string[] };
  await sub.subscribe('ref:advice:rig0', (m) => heard.ref.push(m));
  await sub.subscribe('telemetry:advice:rig0', (m) => heard.telemetry.push(m));
  await waitUntil(() => sink.health().ok, 'the Valkey sink connects');
  const hash = async (key: string) => {
    const out: Record<string, unknown> = {};
    for (const [id, json] of mapOf(await port.command(key, ['HGETALL', key])))
      out[id] = JSON.parse(String(json));
    return out;
  };
  const caughtUp = async () => {
    await sink.flush();
    await waitUntil(async () => {
      if (!writer.isDrained) return false;
      const lag = await groupLag(port, 4);
      return lag.undelivered === 0 && (await pendingCount(port, 4)) === 0;
    }, 'the worker has scored everything appended');
  };
  try {
    await service.start();
    collector.start();
    // Fan stopped at 20 s: by 60 s four advice episodes are active on gpu0.
    await clock.advanceTo(T0 + 60_000);
    await caughtUp();
    const ref = await hash('ref:advice:rig0');
    assert.equal(Object.keys(ref).length, 4, 'the reference raised four episodes');
    assert.deepEqual(await hash('telemetry:advice:rig0'), ref);
    // The fault is over by 80 s; everything clears within minutes.
    await clock.advanceTo(T0 + 420_000);
    await caughtUp();
    assert.deepEqual(await hash('telemetry:advice:rig0'), {});
    assert.deepEqual(await hash('ref:advice:rig0'), {});
    await waitUntil(
      () => heard.ref.length >= 8 && heard.telemetry.length === heard.ref.length,
      'every record heard on both channels',
    );
    assert.deepEqual(heard.telemetry, heard.ref, 'the same records, in the same order, byte for byte');
    assert.equal(worker.worker.stats().adviceApplied, heard.ref.length);
  } finally {
    await service.stop();
    await collector.stop();
    await port.close();
    await worker.stop();
  }
});
