// Service.reconfigure on a fake clock with scripted sources: rigs added and removed, a rig's scorer
// rebuilt with new options (windows afresh, state kept), sources swapped by key, cadences changed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock, settle } from '../../test/helpers/fake-clock.ts';
import type { RigTickBatch, Sink } from '../core/sink.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { Service, type ServiceRig, type ServiceSampling } from './service.ts';

const SAMPLING: ServiceSampling = { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 };

/** Power steps from 200 W to 320 W at poll `stepAt`; small deterministic noise keeps readings fresh. */
function gpu(rig: string, stepAt = 1e9, devices = ['gpu0', 'gpu1']): ScriptedSource {
  return new ScriptedSource(
    'nvml',
    rig,
    (n) => ({ values: { power_w: (n < stepAt ? 200 : 320) + ((n * 7919) % 11) / 10, temp_core_c: 60 } }),
    { devices },
  );
}

/** Every batch the service hands its sinks. */
class CollectingSink implements Sink {
  readonly name = 'collect';
  readonly batches: RigTickBatch[] = [];
  write(batch: RigTickBatch): void {
    this.batches.push(batch);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health() {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
}

function harness(rigs: ServiceRig[]) {
  const clock = new FakeClock(1_780_000_000_000);
  const store = createEmbedded({}, { clock });
  const sink = new CollectingSink();
  const service = new Service(rigs, SAMPLING, {
    clock,
    timers: clock,
    logger: pino({ level: 'silent' }),
    sinks: [store, sink],
  });
  return { clock, store, sink, service };
}

const spec = (key: string, source: ScriptedSource) => ({
  key,
  kind: source.kind,
  create: () => source,
  fastCapable: true,
});

test('a rig added starts at once; a rig removed stops, closes its sources and its open events', async () => {
  const a = gpu('rig-a', 40);
  const h = harness([{ name: 'rig-a', scorer: {}, sources: [spec('a', a)] }]);
  h.service.start();
  assert.deepEqual(
    h.service.configuredRigs().map((r) => [r.rig, r.sources.map((s) => [s.id, s.status])]),
    [['rig-a', [['rig-a/nvml', 'waiting']]]],
  );
  for (let i = 0; i < 45; i += 1) await h.clock.advance(1000);
  const b = gpu('rig-b');
  const rigs: ServiceRig[] = [
    { name: 'rig-a', scorer: {}, sources: [spec('a', a)] },
    { name: 'rig-b', scorer: {}, sources: [spec('b', b)] },
  ];
  const added = await h.service.reconfigure(rigs, SAMPLING);
  assert.deepEqual(added.rigsAdded, ['rig-b']);
  assert.equal(added.sourcesStarted, 1);
  assert.equal(added.sourcesStopped, 0);
  await h.clock.advance(0);
  assert.equal(b.polls, 1, 'polled at once');
  assert.equal(a.closeCalls, 0, 'an unchanged source keeps running');
  assert.ok(h.store.latest('rig-b') !== null);

  const eventsBefore = h.service.stats().events;
  const batchesBefore = h.sink.batches.length;
  const removed = await h.service.reconfigure([rigs[1]], SAMPLING);
  assert.deepEqual(removed.rigsRemoved, ['rig-a']);
  assert.equal(removed.sourcesStopped, 1);
  assert.equal(a.closeCalls, 1);
  const closing = h.sink.batches.slice(batchesBefore).filter((x) => x.rig === 'rig-a');
  assert.equal(closing.length, 1, 'one last batch carries the open events');
  assert.ok(closing[0].events.length >= 1, 'the power step was still an open event');
  assert.equal(h.service.stats().events, eventsBefore + closing[0].events.length);
  const polls = a.polls;
  await h.clock.advance(5000);
  assert.equal(a.polls, polls, 'no poll after removal');
  assert.deepEqual(
    h.service.configuredRigs().map((r) => r.rig),
    ['rig-b'],
  );
  assert.ok(h.store.latest('rig-a') !== null, 'its last state stays readable');
  await h.service.stop();
  assert.equal(b.closeCalls, 1);
});

test('new scorer options rebuild only that rig: its windows start afresh, its state is kept', async () => {
  const a = gpu('rig-a');
  const b = gpu('rig-b');
  const rigs = (minA: number): ServiceRig[] => [
    { name: 'rig-a', scorer: { minSamples: minA }, sources: [spec('a', a)] },
    { name: 'rig-b', scorer: {}, sources: [spec('b', b)] },
  ];
  const h = harness(rigs(20));
  h.service.start();
  for (let i = 0; i < 10; i += 1) await h.clock.advance(1000);
  const samplesOf = (rig: string) => h.store.latest(rig)?.devices.map((d) => d.samples);
  assert.deepEqual(samplesOf('rig-a'), [11, 11]);
  const same = await h.service.reconfigure(rigs(20), SAMPLING);
  assert.deepEqual(same.scorersRebuilt, [], 'equal options: nothing rebuilt');
  const report = await h.service.reconfigure(rigs(16), SAMPLING);
  assert.deepEqual(report.scorersRebuilt, ['rig-a']);
  assert.equal(report.sourcesStopped + report.sourcesStarted, 0, 'sources untouched');
  assert.deepEqual(samplesOf('rig-a'), [11, 11], 'the latest state is kept until the next score');
  await h.clock.advance(1000);
  assert.deepEqual(samplesOf('rig-a'), [1, 1], 'rig-a scores with a new scorer');
  assert.deepEqual(samplesOf('rig-b'), [12, 12], 'rig-b goes on');
  await h.service.stop();
});

test('a source whose key changed is replaced under the same id; an unchanged one keeps polling', async () => {
  const nv = gpu('rig-a', 1e9, ['gpu0']);
  const miner1 = new ScriptedSource('xmrig', 'rig-a', (n) => ({ values: { hashrate_5s: 1e6 + n } }), {
    devices: ['gpu0'],
  });
  const h = harness([{ name: 'rig-a', scorer: {}, sources: [spec('nv', nv), spec('x@1', miner1)] }]);
  h.service.start();
  for (let i = 0; i < 3; i += 1) await h.clock.advance(1000);
  const miner2 = new ScriptedSource('xmrig', 'rig-a', (n) => ({ values: { hashrate_5s: 2e6 + n } }), {
    devices: ['gpu0'],
  });
  const report = await h.service.reconfigure(
    [{ name: 'rig-a', scorer: {}, sources: [spec('nv', nv), spec('x@2', miner2)] }],
    SAMPLING,
  );
  assert.equal(report.sourcesStopped, 1);
  assert.equal(report.sourcesStarted, 1);
  assert.equal(miner1.closeCalls, 1);
  assert.equal(nv.closeCalls, 0);
  await h.clock.advance(1000);
  assert.ok(miner2.polls >= 1);
  assert.deepEqual(
    h.service.configuredRigs()[0].sources.map((s) => [s.id, s.kind, s.status]),
    [
      ['rig-a/nvml', 'nvml', 'up'],
      ['rig-a/xmrig', 'xmrig', 'up'],
    ],
  );
  await h.service.stop();
});

test('a source that cannot be built is reported; the rest of the reload applies', async () => {
  const a = gpu('rig-a');
  const h = harness([{ name: 'rig-a', scorer: {}, sources: [spec('a', a)] }]);
  h.service.start();
  const broken = {
    key: 'broken',
    kind: 'cgminer',
    fastCapable: false,
    create: () => {
      throw new Error('no such host');
    },
  };
  const c = gpu('rig-c');
  const report = await h.service.reconfigure(
    [
      { name: 'rig-a', scorer: {}, sources: [spec('a', a), broken] },
      { name: 'rig-c', scorer: {}, sources: [spec('c', c)] },
    ],
    SAMPLING,
  );
  assert.deepEqual(report.sourcesFailed, ['rig-a/cgminer']);
  assert.equal(report.sourcesStarted, 1);
  assert.deepEqual(report.rigsAdded, ['rig-c']);
  await h.clock.advance(1000);
  assert.ok(c.polls >= 1);
  await h.service.stop();
});

test('cadences change live: bursts turn on, the burst interval changes; a reload after stop is void', async () => {
  const a = gpu('rig-a', 5);
  const rigs: ServiceRig[] = [{ name: 'rig-a', scorer: { minSamples: 4 }, sources: [spec('a', a)] }];
  const h = harness(rigs);
  h.service.start();
  for (let i = 0; i < 4; i += 1) await h.clock.advance(1000);
  await h.service.reconfigure(rigs, { intervalMs: 1000, burstIntervalMs: 250, burstDurationMs: 5000 });
  for (let i = 0; i < 30; i += 1) await h.clock.advance(1000);
  assert.ok(h.service.stats().bursts >= 1, 'a suspect rig bursts once bursts are on');
  const gaps = a.pollTimes.slice(1).map((t, i) => t - a.pollTimes[i]);
  assert.ok(gaps.includes(250), `burst polls 250 ms apart: ${gaps.join(',')}`);
  assert.equal(h.service.stats().reconfigures, 1);
  const late = h.service.reconfigure([], SAMPLING);
  await h.service.stop();
  await settle();
  assert.deepEqual(await late, {
    rigsAdded: [],
    rigsRemoved: [],
    scorersRebuilt: [],
    sourcesStarted: 0,
    sourcesStopped: 0,
    sourcesFailed: [],
  });
  assert.equal(a.closeCalls, 1, 'closed once, by stop');
});
