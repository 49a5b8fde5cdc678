// The scheduler's timing on a fake clock with scripted sources: cadence, bursts (fast sources only,
// expiry), hung and slow sources (timeouts, overruns, nobody blocked), backoff, and stop().

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { SourceError } from '../core/errors.ts';
import type { TelemetrySnapshot } from '../telemetry/index.ts';
import { IngestScheduler } from './scheduler.ts';
import type { IngestEvent, SchedulerOptions } from './types.ts';

const T0 = 1_700_000_000_000;

/** A source whose power reading changes every poll, so each poll gives a fresh sample. */
function changing(kind: string, rig: string, options: { intervalMs?: number; devices?: string[] } = {}) {
  return new ScriptedSource(kind, rig, (n) => ({ values: { power_w: 100 + n } }), options);
}

function harness(extra: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock(T0);
  const delivered: { rig: string; samples: readonly TelemetrySnapshot[]; atMs: number }[] = [];
  const events: IngestEvent[] = [];
  const scheduler = new IngestScheduler({
    clock,
    timers: clock,
    onSamples: (rig, samples) =>
      void delivered.push({ rig, samples: samples as readonly TelemetrySnapshot[], atMs: clock.nowMs() }),
    report: (e) => void events.push(e),
    reportWindowMs: 0,
    ...extra,
  });
  const statsOf = (id: string) => {
    const s = scheduler.stats().sources.find((x) => x.id === id);
    assert.ok(s, `no stats for ${id}`);
    return s;
  };
  return { clock, scheduler, delivered, events, statsOf };
}

const offsets = (src: ScriptedSource) => src.pollTimes.map((t) => t - T0);

test('each source keeps its own cadence: default 1 Hz, the source hint, or the registration', async () => {
  const h = harness();
  const plain = changing('sim', 'rig0');
  const hinted = changing('xmrig', 'rig0', { intervalMs: 2500 });
  const fast = changing('nvml', 'rig1');
  h.scheduler.add({ source: plain });
  h.scheduler.add({ source: hinted });
  h.scheduler.add({ source: fast, intervalMs: 400 });
  h.scheduler.start();
  await h.clock.advance(5000);
  assert.deepEqual(offsets(plain), [0, 1000, 2000, 3000, 4000, 5000]);
  assert.deepEqual(offsets(hinted), [0, 2500, 5000]);
  assert.deepEqual(offsets(fast), [0, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600, 4000, 4400, 4800]);
  assert.equal(h.statsOf('rig0/sim').samples, 6);
  assert.equal(h.statsOf('rig0/xmrig').intervalMs, 2500);
  await h.scheduler.stop();
});

test('a burst speeds up only the fast-capable sources of that rig, then expires', async () => {
  const h = harness({ burstIntervalMs: 100 });
  const gpu = changing('nvml', 'rig0');
  const miner = changing('xmrig', 'rig0');
  const other = changing('nvml', 'rig1');
  h.scheduler.add({ source: gpu, fastCapable: true });
  h.scheduler.add({ source: miner, fastCapable: false });
  h.scheduler.add({ source: other, fastCapable: true });
  h.scheduler.start();
  await h.clock.advance(1000);
  assert.equal(h.scheduler.burst('rig0', T0 + 1500), 1);
  assert.equal(h.statsOf('rig0/nvml').currentIntervalMs, 100);
  assert.equal(h.statsOf('rig0/nvml').burstUntilMs, T0 + 1500);
  assert.equal(h.statsOf('rig0/xmrig').burstUntilMs, null);
  await h.clock.advance(2000);
  assert.deepEqual(offsets(gpu), [0, 1000, 1100, 1200, 1300, 1400, 1500, 2500]);
  assert.deepEqual(offsets(miner), [0, 1000, 2000, 3000]);
  assert.deepEqual(offsets(other), [0, 1000, 2000, 3000]);
  assert.equal(h.statsOf('rig0/nvml').currentIntervalMs, 1000);
  assert.equal(h.statsOf('rig0/nvml').burstUntilMs, null);
  assert.equal(h.scheduler.burst('rig-unknown'), 0);
  assert.equal(h.scheduler.burst('rig0', T0), 0, 'a burst ending in the past does nothing');
  await h.scheduler.stop();
});

test('burst without an end uses burstDurationMs; a later call extends, never shortens', async () => {
  const h = harness({ burstIntervalMs: 200, burstDurationMs: 1000 });
  const gpu = changing('nvml', 'rig0');
  h.scheduler.add({ source: gpu, fastCapable: true });
  h.scheduler.start();
  await h.clock.advance(0);
  assert.equal(h.scheduler.burst('rig0'), 1);
  assert.equal(h.statsOf('rig0/nvml').burstUntilMs, T0 + 1000);
  assert.equal(h.scheduler.burst('rig0', T0 + 500), 1);
  assert.equal(h.statsOf('rig0/nvml').burstUntilMs, T0 + 1000);
  await h.clock.advance(600);
  h.scheduler.burst('rig0', T0 + 1400);
  await h.clock.advance(2400);
  assert.deepEqual(offsets(gpu), [0, 200, 400, 600, 800, 1000, 1200, 1400, 2400]);
  await h.scheduler.stop();
});

test('a hung source times out, overruns and blocks neither others nor its own schedule', async () => {
  const h = harness();
  const hung = new ScriptedSource('cgminer', 'asic0', () => ({ hang: true }));
  const healthy = changing('nvml', 'rig0');
  h.scheduler.add({ source: hung, timeoutMs: 500 });
  h.scheduler.add({ source: healthy });
  h.scheduler.start();
  await h.clock.advance(4000);
  assert.deepEqual(offsets(healthy), [0, 1000, 2000, 3000, 4000]);
  assert.equal(h.delivered.filter((d) => d.rig === 'rig0').length, 5);
  assert.equal(hung.polls, 1, 'never polled again while its poll is pending');
  assert.equal(hung.signals[0].aborted, true, 'the poll signal is aborted at the timeout');
  assert.ok(hung.signals[0].reason instanceof SourceError);
  const s = h.statsOf('asic0/cgminer');
  assert.equal(s.timeouts, 1);
  assert.equal(s.errors.timeout, 1);
  assert.equal(s.successes, 0);
  assert.ok(s.overruns >= 2, `overruns ${s.overruns}`);
  assert.ok(h.events.some((e) => e.code === 'RT_SOURCE_TIMEOUT' && e.source === 'asic0/cgminer'));
  assert.ok(h.events.some((e) => e.code === 'poll_overrun'));
});

test('a slow poll skips the ticks it overlaps (counted) and the schedule resumes after it', async () => {
  const h = harness();
  const slow = new ScriptedSource('sim', 'rig0', (n) =>
    n === 1 ? { delayMs: 2500, values: { power_w: 1 } } : { values: { power_w: 10 + n } },
  );
  h.scheduler.add({ source: slow, timeoutMs: 5000 });
  h.scheduler.start();
  await h.clock.advance(5000);
  assert.deepEqual(offsets(slow), [0, 1000, 4000, 5000]);
  const s = h.statsOf('rig0/sim');
  assert.equal(s.overruns, 2);
  assert.equal(s.timeouts, 0);
  assert.equal(s.successes, 4);
});

test('a poll that honours the abort is counted as one timeout, not two failures', async () => {
  const h = harness();
  const slow = new ScriptedSource('sim', 'rig0', () => ({ delayMs: 5000, values: { power_w: 1 } }));
  h.scheduler.add({ source: slow, timeoutMs: 300 });
  h.scheduler.start();
  await h.clock.advance(400);
  const s = h.statsOf('rig0/sim');
  assert.equal(s.timeouts, 1);
  assert.equal(s.errors.timeout, 1);
  assert.equal(s.consecutiveFailures, 1);
  assert.equal(h.events.filter((e) => e.code.startsWith('RT_SOURCE')).length, 1);
});

test('transient errors back off exponentially up to the cap; recovery restores the cadence', async () => {
  const h = harness({ backoff: { maxMs: 8000 } });
  const flaky = new ScriptedSource('cgminer', 'asic0', (n) =>
    n < 5 ? { fail: new SourceError('connect', 'connection refused') } : { values: { power_w: n } },
  );
  h.scheduler.add({ source: flaky });
  h.scheduler.start();
  await h.clock.advance(26_000);
  // Delays 1 s, 2 s, 4 s, 8 s, 8 s (cap) after failures 1-5; then every second again.
  assert.deepEqual(offsets(flaky), [0, 1000, 3000, 7000, 15_000, 23_000, 24_000, 25_000, 26_000]);
  const s = h.statsOf('asic0/cgminer');
  assert.equal(s.errors.connect, 5);
  assert.equal(s.consecutiveFailures, 0);
  assert.equal(s.backoffUntilMs, null);
  assert.equal(s.lastError?.kind, 'connect');
  assert.ok(h.events.some((e) => e.code === 'source_recovered' && e.fields?.failures === 5));
});

test('protocol errors keep the cadence; unsupported waits the longest backoff; bugs are internal', async () => {
  const h = harness({ backoff: { maxMs: 5000 } });
  const garbage = new ScriptedSource('xmrig', 'rig0', () => ({ fail: new SourceError('protocol', 'HTML') }));
  const absent = new ScriptedSource('nvml', 'rig0', () => ({
    fail: new SourceError('unsupported', 'no lib'),
  }));
  const buggy = new ScriptedSource('sim', 'rig1', () => ({ fail: new TypeError('x is undefined') }));
  for (const source of [garbage, absent, buggy]) h.scheduler.add({ source });
  h.scheduler.start();
  await h.clock.advance(10_000);
  assert.equal(garbage.polls, 11);
  assert.deepEqual(offsets(absent), [0, 5000, 10_000]);
  assert.equal(buggy.polls, 11);
  assert.equal(h.statsOf('rig1/sim').errors.internal, 11);
  const bug = h.events.find((e) => e.source === 'rig1/sim');
  assert.equal(bug?.code, 'poll_failed');
  assert.equal(bug?.level, 'error');
  assert.ok(bug?.err instanceof TypeError);
});

test('repeated failures are reported once per window with the suppressed count', async () => {
  const h = harness({ reportWindowMs: 10_000, backoff: { maxMs: 1000 } });
  const dead = new ScriptedSource('cgminer', 'asic0', () => ({
    fail: new SourceError('connect', 'refused'),
  }));
  h.scheduler.add({ source: dead });
  h.scheduler.start();
  await h.clock.advance(25_000);
  const reported = h.events.filter((e) => e.code === 'RT_SOURCE_CONNECT');
  assert.deepEqual(
    reported.map((e) => e.suppressed),
    [0, 9, 9],
  );
  assert.equal(h.statsOf('asic0/cgminer').errors.connect, 26);
});

test('stop() waits for a poll in flight, abandons a hung one at the deadline, closes every source', async () => {
  const h = harness({ stopDeadlineMs: 1000 });
  const slow = new ScriptedSource('sim', 'rig0', () => ({ delayMs: 600, values: { power_w: 5 } }));
  const hung = new ScriptedSource('cgminer', 'asic0', () => ({ hang: true }));
  h.scheduler.add({ source: slow, timeoutMs: 900 });
  h.scheduler.add({ source: hung, timeoutMs: 60_000 });
  h.scheduler.start();
  await h.clock.advance(0);
  let stopped = false;
  const stopping = h.scheduler.stop().then(() => {
    stopped = true;
  });
  assert.equal(h.scheduler.stats().running, false);
  await h.clock.advance(600);
  assert.equal(stopped, false);
  assert.equal(h.delivered.length, 1, 'the poll finishing during stop is delivered');
  await h.clock.advance(400);
  await stopping;
  assert.equal(hung.signals[0].aborted, true);
  assert.equal(slow.closeCalls, 1);
  assert.equal(hung.closeCalls, 1);
  assert.ok(h.events.some((e) => e.code === 'stop_deadline' && e.source === 'asic0/cgminer'));
  await h.clock.advance(10_000);
  assert.equal(slow.polls, 1);
  assert.equal(hung.polls, 1);
  assert.equal(h.clock.pending, 0, 'no timer left armed');
  await h.scheduler.stop();
  assert.equal(slow.closeCalls, 1, 'stop is idempotent');
  assert.throws(() => h.scheduler.add({ source: changing('nvml', 'rig9') }), { code: 'RT_CONFIG_INVALID' });
});

test('bad options are refused with RT_CONFIG_INVALID', () => {
  const clock = new FakeClock();
  const base = { clock, timers: clock, onSamples: () => {} };
  assert.throws(() => new IngestScheduler({ ...base, burstIntervalMs: 0 }), { code: 'RT_CONFIG_INVALID' });
  assert.throws(() => new IngestScheduler({ ...base, reportWindowMs: -1 }), { code: 'RT_CONFIG_INVALID' });
  assert.throws(() => new IngestScheduler({ ...base, series: { capacity: 0 } }), {
    code: 'RT_KERNEL_ARGUMENT',
  });
  const s = new IngestScheduler(base);
  assert.throws(() => s.add({ source: changing('nvml', 'r'), intervalMs: Number.NaN }), {
    code: 'RT_CONFIG_INVALID',
  });
  assert.equal(s.add({ source: changing('nvml', 'r') }), 'r/nvml');
  assert.equal(s.add({ source: changing('nvml', 'r') }), 'r/nvml#2');
});
