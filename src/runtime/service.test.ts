// The service loop on a fake clock with scripted sources and the real embedded store: every fresh
// sample is scored and published per rig, a failing rig does not stop the others, stop() flushes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock, settle } from '../../test/helpers/fake-clock.ts';
import { SourceError } from '../core/errors.ts';
import type { RigState } from '../core/sink.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { Service } from './service.ts';

const SAMPLING = { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 5000 };

test('each rig is scored every tick into the store; a failing rig does not hold the others', async () => {
  const clock = new FakeClock(1_780_000_000_000);
  const store = createEmbedded({}, { clock });
  const published: RigState[] = [];
  store.subscribe((s) => published.push(s));
  // Power steps from 200 W to 320 W at poll 60; small deterministic noise keeps readings fresh.
  const gpu = new ScriptedSource(
    'nvml',
    'rig-a',
    (n) => ({
      values: { power_w: (n < 60 ? 200 : 320) + ((n * 7919) % 11) / 10, temp_core_c: 60 + (n % 2) },
    }),
    { devices: ['gpu0', 'gpu1'] },
  );
  const dead = new ScriptedSource('cgminer', 'rig-b', () => ({
    fail: new SourceError('connect', 'connection refused'),
  }));
  const service = new Service(
    [
      { name: 'rig-a', scorer: {}, sources: [{ source: gpu, fastCapable: true }] },
      { name: 'rig-b', scorer: {}, sources: [{ source: dead, fastCapable: false }] },
    ],
    SAMPLING,
    { clock, timers: clock, logger: pino({ level: 'silent' }), sinks: [store] },
  );
  service.start();
  for (let i = 0; i < 90; i += 1) await clock.advance(1000);
  await settle();
  const latest = store.latest('rig-a');
  assert.ok(latest !== null);
  assert.deepEqual(
    latest.devices.map((d) => d.device),
    ['gpu0', 'gpu1'],
  );
  assert.equal(store.latest('rig-b'), null);
  assert.ok(published.length >= 80, `published ${published.length}`);
  const stats = service.stats();
  assert.ok(stats.scores >= 160, `scores ${stats.scores}`);
  assert.ok(stats.events >= 1, 'the power step is an event');
  assert.ok(stats.bursts >= 1, 'the suspect rig burst its fast source');
  await service.stop();
  assert.equal(gpu.closeCalls, 1);
  assert.equal(dead.closeCalls, 1);
  const after = published.length;
  await clock.advance(5000);
  assert.equal(published.length, after, 'nothing is published after stop');
});
