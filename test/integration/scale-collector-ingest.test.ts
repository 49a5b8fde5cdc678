// The collector's ingest half on the service's own scheduler: polls of scripted sources become stream
// entries carrying the rig's published settings, and a worker scores them with those settings.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM_TIMERS } from '../../src/ingest/index.ts';
import { Collector, settingsHash } from '../../src/runtime/scale/index.ts';
import { ScriptedSource } from '../fakes/scripted-source.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { silent, startWorker, startWriter } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const clock = { nowMs: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

test('polls go through the partition streams to a worker that scores with the rig settings', {
  skip,
}, async () => {
  const { writer, port } = startWriter(redis.url, 'site-a', 8);
  const worker = await startWorker(redis.url, 'w', { partitions: 8 });
  const scorer = { minSamples: 4 };
  const rigs = ['m1', 'm2'].map((name) => ({
    name,
    scorer,
    sources: [
      {
        source: new ScriptedSource(
          'scripted',
          name,
          (n) => ({ values: { power_w: 200 + (n % 3), temp_core_c: 60 } }),
          {
            devices: ['gpu0', 'gpu1'],
          },
        ),
        fastCapable: false,
        intervalMs: 20,
      },
    ],
  }));
  const collector = new Collector(
    rigs,
    { intervalMs: 20, burstIntervalMs: 20, burstDurationMs: 0 },
    { clock, timers: SYSTEM_TIMERS, logger: silent, writer },
  );
  collector.start();
  try {
    await waitUntil(async () => {
      const held = await port.command('telemetry:last:m2', ['GET', 'telemetry:last:m2']);
      if (typeof held !== 'string') return false;
      const devices = (JSON.parse(held) as { devices: Array<{ samples: number }> }).devices;
      return devices.length === 2 && devices.every((d) => d.samples >= 6);
    }, 'm2 scored beyond minSamples');
    const { hash, json } = settingsHash({ scorer });
    assert.equal(await port.command('rigtune:rig-config', ['HGET', 'rigtune:rig-config', hash]), json);
    const state = JSON.parse(
      String(await port.command('telemetry:last:m1', ['GET', 'telemetry:last:m1'])),
    ) as {
      devices: Array<{ samples: number; structure: unknown }>;
    };
    // minSamples 4 from the rig's settings: structure metrics appear long before the default 16.
    for (const d of state.devices) if (d.samples >= 4 && d.samples < 16) assert.notEqual(d.structure, null);
    assert.ok(collector.stats().polls > 0);
  } finally {
    await collector.stop();
    await port.close();
    await worker.stop();
  }
});
