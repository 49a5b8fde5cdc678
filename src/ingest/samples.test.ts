// What the scheduler delivers: fresh samples with EMA deltas per rig, stale re-reads held back and
// counted, devices reported stale or missing, bounded ring buffers, dropped out-of-order samples.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedSource, snapshotOf } from '../../test/fakes/scripted-source.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { SourceError } from '../core/errors.ts';
import type { TelemetrySnapshot } from '../telemetry/index.ts';
import { IngestScheduler } from './scheduler.ts';
import type { IngestEvent, SchedulerOptions } from './types.ts';

const T0 = 1_700_000_000_000;

function harness(extra: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock(T0);
  const delivered: { rig: string; samples: readonly TelemetrySnapshot[] }[] = [];
  const events: IngestEvent[] = [];
  const raws: unknown[][] = [];
  const scheduler = new IngestScheduler({
    clock,
    timers: clock,
    // Series are kept (the default), so samples are TelemetrySnapshots.
    onSamples: (rig, samples) =>
      void delivered.push({ rig, samples: samples as readonly TelemetrySnapshot[] }),
    onRaw: (...args) => void raws.push(args),
    report: (e) => void events.push(e),
    reportWindowMs: 0,
    ...extra,
  });
  return { clock, scheduler, delivered, events, raws };
}

test('fresh samples arrive per rig with EMA deltas and counter rates', async () => {
  const h = harness();
  const src = new ScriptedSource(
    'sim',
    'rig0',
    (n, ctx) => {
      ctx.raw?.('gpu0', 'pstate', 'P2');
      return { values: { power_w: 200 + 10 * n, accepted_shares: 5 * n } };
    },
    { devices: ['gpu0', 'gpu1'] },
  );
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(2000);
  assert.equal(h.delivered.length, 3, 'one delivery per rig per completed poll');
  for (const d of h.delivered) {
    assert.equal(d.rig, 'rig0');
    assert.deepEqual(
      d.samples.map((s) => s.device),
      ['gpu0', 'gpu1'],
    );
  }
  const last = h.delivered[2].samples[0];
  assert.equal(last.power_w, 220);
  assert.equal(last.ts, T0 + 2000);
  assert.ok(
    last.ema_delta.power_w !== null && last.ema_delta.power_w !== undefined && last.ema_delta.power_w > 0,
  );
  assert.equal(last.rate_per_s.accepted_shares, 5);
  assert.equal(h.delivered[0].samples[0].ema_delta.power_w, null, 'no delta on the first sample');
  assert.deepEqual(h.raws[0], ['rig0', 'gpu0', 'pstate', 'P2']);
  assert.equal(h.scheduler.series('rig0', 'gpu1')?.sampleCount, 3);
  assert.equal(h.scheduler.series('rig0', 'nope'), undefined);
});

test('a re-read with unchanged values is stale: counted, not delivered, not buffered', async () => {
  const h = harness();
  // Miner API refreshing every 3 s, read every second.
  const src = new ScriptedSource('xmrig', 'rig0', (n) => ({
    values: { hashrate_5s: 1000 + Math.floor(n / 3) },
  }));
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(8000);
  assert.equal(src.polls, 9);
  const delivered = h.delivered.flatMap((d) => d.samples);
  assert.deepEqual(
    delivered.map((s) => [s.ts - T0, s.hashrate_5s]),
    [
      [0, 1000],
      [3000, 1001],
      [6000, 1002],
    ],
  );
  const stats = h.scheduler.stats();
  assert.equal(stats.sources[0].samples, 3);
  assert.equal(stats.sources[0].staleSamples, 6);
  assert.equal(h.scheduler.series('rig0', 'gpu0')?.sampleCount, 3);
  assert.equal(stats.devices[0].state, 'fresh');
});

test('a device is stale after N intervals of unchanged values and missing after N intervals unread', async () => {
  const h = harness({ staleAfterIntervals: 3 });
  const src = new ScriptedSource('nvml', 'rig0', (n) => {
    if (n < 2) return { values: { power_w: n } };
    if (n < 7) return { values: { power_w: 1 } };
    if (n < 12) return { fail: new SourceError('protocol', 'garbage') };
    return { values: { power_w: n } };
  });
  h.scheduler.add({ source: src });
  h.scheduler.start();
  const stateAt = async (ms: number) => {
    await h.clock.advanceTo(T0 + ms);
    return h.scheduler.stats().devices[0].state;
  };
  assert.equal(await stateAt(3000), 'fresh');
  assert.equal(await stateAt(4000), 'fresh', 'last fresh at 1 s: 3 intervals ago');
  assert.equal(await stateAt(5000), 'stale');
  assert.equal(await stateAt(9000), 'stale', 'seen at 6 s, failing since 7 s');
  assert.equal(await stateAt(10_000), 'missing');
  assert.equal(await stateAt(12_000), 'fresh');
  const transitions = h.events.filter((e) => e.code.startsWith('device_')).map((e) => [e.code, e.device]);
  assert.deepEqual(transitions, [
    ['device_stale', 'gpu0'],
    ['device_missing', 'gpu0'],
    ['device_fresh', 'gpu0'],
  ]);
});

test('a device that disappears from the replies while the source keeps answering goes missing', async () => {
  const h = harness({ staleAfterIntervals: 2 });
  const src = new ScriptedSource('nvml', 'rig0', (n) => ({
    values: { power_w: n },
    devices: n < 2 ? ['gpu0', 'gpu1'] : ['gpu0'],
  }));
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(6000);
  const states = Object.fromEntries(h.scheduler.stats().devices.map((d) => [d.device, d.state]));
  assert.deepEqual(states, { gpu0: 'fresh', gpu1: 'missing' });
  assert.equal(h.scheduler.stats().sources[0].errors.protocol, 0);
});

test('each device keeps a bounded ring buffer', async () => {
  const h = harness({ series: { capacity: 8 } });
  const src = new ScriptedSource('sim', 'rig0', (n) => ({ values: { power_w: n, temp_core_c: 50 + n } }));
  h.scheduler.add({ source: src, intervalMs: 100 });
  h.scheduler.start();
  await h.clock.advance(1900);
  const series = h.scheduler.series('rig0', 'gpu0');
  assert.ok(series);
  assert.equal(series.sampleCount, 20);
  assert.deepEqual([...series.recent('power_w', 100)], [12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(series.recentTs(100).length, 8);
  assert.equal(series.recentEma('temp_core_c', 100).length, 8);
  assert.equal(h.scheduler.stats().devices[0].buffered, 8);
});

test('a sample whose time does not move forward is dropped and counted', async () => {
  const h = harness();
  let n = 0;
  const src = {
    kind: 'nvidia-smi',
    rig: 'rig0',
    async poll(ctx: Parameters<ScriptedSource['poll']>[0]) {
      // Device clock stuck: the same timestamp with new values on polls 1 and 2.
      const ts = n === 0 ? T0 : n < 3 ? T0 : T0 + n * 1000;
      ctx.emit(snapshotOf(ts, 'rig0', 'gpu0', { power_w: 100 + n }));
      n++;
    },
    async close() {},
  };
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(3000);
  const s = h.scheduler.stats().sources[0];
  assert.equal(s.samples, 2);
  assert.equal(s.outOfOrder, 2);
  const e = h.events.find((x) => x.code === 'out_of_order');
  assert.equal(e?.device, 'gpu0');
  assert.equal((e?.err as { code?: string } | undefined)?.code, 'RT_INPUT_TIME');
});

test('series: false delivers the plain snapshots, still dropping stale re-reads and stuck clocks', async () => {
  const h = harness({ series: false });
  let n = 0;
  const src = {
    kind: 'nvml',
    rig: 'rig0',
    async poll(ctx: Parameters<ScriptedSource['poll']>[0]) {
      // Poll 1 re-reads poll 0 (stale); poll 2 is new; poll 3 keeps poll 2's time with new values.
      const ts = T0 + [0, 1000, 1000, 1000][n];
      ctx.emit(
        snapshotOf(ts, 'rig0', 'gpu0', {
          power_w: [100, 100, 102, 103][n],
          accepted_shares: [0, 0, 2, 3][n],
        }),
      );
      n++;
    },
    async close() {},
  };
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(3000);
  const s = h.scheduler.stats().sources[0];
  assert.equal(s.staleSamples, 1, 'poll 1: a re-read');
  assert.equal(s.outOfOrder, 1, 'poll 3: same time, new values');
  const samples = h.delivered.flatMap((d) => d.samples);
  assert.deepEqual(
    samples.map((x) => [x.ts - T0, x.power_w]),
    [
      [0, 100],
      [1000, 102],
    ],
  );
  assert.equal('counter_delta' in samples[0], false, 'no telemetry derivation');
  assert.equal(h.scheduler.series('rig0', 'gpu0'), undefined);
});

test('samples go to the rig each snapshot names; a failing consumer is reported, polling goes on', async () => {
  let calls = 0;
  const h = harness({
    onSamples: () => {
      calls++;
      throw new Error('consumer broke');
    },
  });
  const src = {
    kind: 'stratum',
    rig: 'rig0',
    async poll(ctx: Parameters<ScriptedSource['poll']>[0]) {
      const ts = ctx.clock.nowMs();
      ctx.emit(snapshotOf(ts, 'rig0', 'pool:a:1', { stratum_latency_ms: ts - T0 + 1 }));
      ctx.emit(snapshotOf(ts, 'rig1', 'pool:a:1', { stratum_latency_ms: ts - T0 + 2 }));
    },
    async close() {},
  };
  h.scheduler.add({ source: src });
  h.scheduler.start();
  await h.clock.advance(1000);
  assert.equal(calls, 4, 'two rigs × two polls');
  assert.equal(h.events.filter((e) => e.code === 'on_samples_failed').length, 4);
  assert.equal(h.scheduler.stats().sources[0].successes, 2);
});

test('snapshots emitted before a failure are delivered; after a timeout they are dropped', async () => {
  const h = harness();
  const src = {
    kind: 'sim',
    rig: 'rig0',
    n: 0,
    async poll(ctx: Parameters<ScriptedSource['poll']>[0]) {
      const n = this.n++;
      ctx.emit(snapshotOf(ctx.clock.nowMs(), 'rig0', 'gpu0', { power_w: n }));
      if (n === 0) throw new SourceError('reset', 'closed mid-reply');
      await ctx.clock.sleep(700); // ignores the signal; emits after its timeout
      ctx.emit(snapshotOf(ctx.clock.nowMs(), 'rig0', 'gpu1', { power_w: n }));
    },
    async close() {},
  };
  h.scheduler.add({ source: src, timeoutMs: 500 });
  h.scheduler.start();
  await h.clock.advance(1800);
  const devices = h.delivered.flatMap((d) => d.samples.map((s) => s.device));
  assert.deepEqual(devices, ['gpu0', 'gpu0']);
  assert.equal(h.scheduler.stats().sources[0].errors.reset, 1);
  assert.equal(h.scheduler.stats().sources[0].timeouts, 1);
});
