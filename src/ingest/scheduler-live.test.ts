// The scheduler changed while running (a SIGHUP reload): poll outcomes reported to `onPoll`, a source
// removed (closed, id freed, its in-flight samples still delivered), the burst interval changed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { SourceError } from '../core/errors.ts';
import { IngestScheduler } from './scheduler.ts';
import type { PollOutcome, SchedulerOptions } from './types.ts';

const T0 = 1_700_000_000_000;

function harness(extra: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock(T0);
  const outcomes: PollOutcome[] = [];
  const delivered: string[] = [];
  const scheduler = new IngestScheduler({
    clock,
    timers: clock,
    onSamples: (rig, samples) => {
      for (const s of samples) delivered.push(`${rig}/${s.device}@${s.ts - T0}`);
    },
    onPoll: (o) => void outcomes.push(o),
    ...extra,
  });
  return { clock, scheduler, outcomes, delivered };
}

test('onPoll hears every settled poll: ok, failures with their kind and count, timeouts', async () => {
  const h = harness();
  const flaky = new ScriptedSource('cgminer', 'r1', (n) =>
    n === 1 || n === 2 ? { fail: new SourceError('protocol', 'garbage') } : { values: { power_w: n } },
  );
  const slow = new ScriptedSource('xmrig', 'r2', () => ({ delayMs: 300, values: { power_w: 1 } }));
  h.scheduler.add({ source: flaky });
  h.scheduler.add({ source: slow, timeoutMs: 200 });
  h.scheduler.start();
  await h.clock.advance(3000);
  const of = (id: string) => h.outcomes.filter((o) => o.source === id);
  assert.deepEqual(
    of('r1/cgminer').map((o) => [o.ok, o.errorKind, o.failures]),
    [
      [true, null, 0],
      [false, 'protocol', 1],
      [false, 'protocol', 2],
      [true, null, 0],
    ],
  );
  const timedOut = of('r2/xmrig');
  assert.ok(timedOut.length >= 2, `${timedOut.length} timeouts`);
  for (const o of timedOut) {
    assert.equal(o.ok, false);
    assert.equal(o.errorKind, 'timeout');
    assert.equal(o.durationMs, 200);
    assert.ok(o.err instanceof SourceError);
  }
  assert.equal(of('r1/cgminer')[0].kind, 'cgminer');
  assert.equal(of('r1/cgminer')[0].rig, 'r1');
  await h.scheduler.stop();
});

test('remove() stops and closes one source; the others go on and the id is free again', async () => {
  const h = harness();
  const a = new ScriptedSource('nvml', 'r1', (n) => ({ values: { power_w: n } }));
  const b = new ScriptedSource('nvml', 'r2', (n) => ({ values: { power_w: n } }));
  const idA = h.scheduler.add({ source: a });
  h.scheduler.add({ source: b });
  h.scheduler.start();
  await h.clock.advance(2000);
  assert.equal(await h.scheduler.remove(idA), true);
  assert.equal(a.closeCalls, 1);
  assert.equal(await h.scheduler.remove(idA), false, 'already gone');
  const pollsA = a.polls;
  await h.clock.advance(3000);
  assert.equal(a.polls, pollsA, 'no poll after removal');
  assert.equal(b.polls, 6);
  assert.deepEqual(
    h.scheduler.stats().sources.map((s) => s.id),
    ['r2/nvml'],
  );
  assert.ok(h.scheduler.stats().devices.every((d) => d.rig === 'r2'));
  const again = new ScriptedSource('nvml', 'r1', (n) => ({ values: { power_w: 100 + n } }));
  assert.equal(h.scheduler.add({ source: again }), 'r1/nvml', 'the id is reused');
  await h.clock.advance(1000);
  assert.ok(again.polls >= 1, 'added while running: polled at once');
  await h.scheduler.stop();
  assert.equal(a.closeCalls, 1, 'stop does not close a removed source twice');
  assert.equal(b.closeCalls, 1);
});

test('remove() waits for the poll in flight and still delivers its samples', async () => {
  const h = harness();
  const slow = new ScriptedSource('nvml', 'r1', () => ({ delayMs: 500, values: { power_w: 7 } }));
  const id = h.scheduler.add({ source: slow, timeoutMs: 900 });
  h.scheduler.start();
  await h.clock.advance(100);
  const removed = h.scheduler.remove(id);
  await h.clock.advance(400);
  assert.equal(await removed, true);
  assert.deepEqual(h.delivered, ['r1/gpu0@500']);
  assert.equal(slow.closeCalls, 1);
  await h.scheduler.stop();
});

test('setBurstIntervalMs changes the burst cadence of fast sources', async () => {
  const h = harness({ burstIntervalMs: 200 });
  const fast = new ScriptedSource('nvml', 'r1', (n) => ({ values: { power_w: n } }));
  h.scheduler.add({ source: fast, fastCapable: true });
  h.scheduler.start();
  await h.clock.advance(0);
  h.scheduler.setBurstIntervalMs(500);
  h.scheduler.burst('r1', T0 + 2000);
  await h.clock.advance(2000);
  assert.deepEqual(
    fast.pollTimes.map((t) => t - T0),
    [0, 500, 1000, 1500, 2000],
  );
  assert.throws(() => h.scheduler.setBurstIntervalMs(0), /burstIntervalMs/);
  await h.scheduler.stop();
});
