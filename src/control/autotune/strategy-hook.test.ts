// Tests of the strategy hook: what a strategy sees (latest snapshot and score, whether the value is the
// device's own), what it hears (causes of each ending, its proposal's tag), and cooling moves kept.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { ActionOutcome, SetpointProposal, SetpointStrategy, StrategyView } from './ports.ts';
import { FAST, Harness, worse } from './test-kit.ts';

/** Records every view and outcome; proposes `next(view)` (default: 25 W down, tagged with the start). */
class Recorder implements SetpointStrategy {
  readonly name = 'recorder';
  readonly views: StrategyView[] = [];
  readonly outcomes: ActionOutcome[] = [];
  next: (v: StrategyView) => SetpointProposal | null = (v) => ({
    value: v.current - 25,
    reason: 'down',
    tag: `from-${v.current}`,
  });

  propose(v: StrategyView): SetpointProposal | null {
    this.views.push(v);
    return this.next(v);
  }

  observe(o: ActionOutcome): void {
    this.outcomes.push(o);
  }
}

async function harness(): Promise<{ h: Harness; rec: Recorder }> {
  const h = new Harness(new FakeClock());
  const rec = new Recorder();
  h.ctrl = h.make('auto', FAST, { strategy: rec });
  await h.ctrl.start();
  return { h, rec };
}

/** Runs one-second ticks until the next write was verified (at most `limitS`). */
async function untilApplied(h: Harness, limitS = 600): Promise<void> {
  const n = h.actions('verified').length;
  for (let s = 0; s < limitS && h.actions('verified').length === n; s++) await h.run(1);
  assert.equal(h.actions('verified').length, n + 1, 'an action was applied');
}

/** FAST: 30 s settle, 120 s watch. */
const SETTLE_S = 30;
const WATCH_S = 120;

test('the view carries the latest snapshot and score and whether the value is the device default', async () => {
  const { h, rec } = await harness();
  await h.run(1);
  const v = rec.views.at(-1) as StrategyView;
  assert.deepEqual([v.snapshot?.ts, v.score?.ts], [h.clock.nowMs(), h.clock.nowMs()]);
  assert.equal(v.snapshot?.power_w, 330);
  assert.deepEqual([v.current, v.atDefault], [350, true], '350 W is the stated default');
  await untilApplied(h);
  assert.equal(h.pl, 325);
  await h.run(SETTLE_S + WATCH_S);
  const [o] = rec.outcomes;
  assert.deepEqual([o.result, o.tag, o.causes], ['validated', 'from-350', []]);
  assert.deepEqual([rec.views.at(-1)?.current, rec.views.at(-1)?.atDefault], [325, false]);
});

test('a rollback tells which test failed, with the tag of the proposal', async () => {
  const { h, rec } = await harness();
  h.eff = worse;
  await untilApplied(h);
  await h.run(SETTLE_S + WATCH_S);
  const [o] = rec.outcomes;
  assert.deepEqual([o.result, o.tag, o.causes], ['rolled_back', 'from-350', ['efficiency']]);
});

test('failed writes say where they failed: verify (ignored) or apply (refused)', async () => {
  const a = await harness();
  a.h.actuator.ignoreWrites.add('g0');
  await a.h.run(200);
  assert.deepEqual(
    a.rec.outcomes.map((o) => [o.result, o.causes]),
    [['failed', ['verify']]],
  );
  const b = await harness();
  b.h.actuator.failWith = 'refused';
  await b.h.run(200);
  assert.deepEqual(
    b.rec.outcomes.map((o) => [o.result, o.causes]),
    [['failed', ['apply']]],
  );
});

test('a watch ended from outside says so: mode, kill switch, shutdown', async () => {
  const { h, rec } = await harness();
  await untilApplied(h);
  await h.ctrl.setMode('advise');
  await h.ctrl.setMode('auto');
  await untilApplied(h, 1200);
  h.kill.engage('test');
  await h.clock.advance(0);
  h.kill.release();
  await untilApplied(h, 1200);
  await h.ctrl.stop();
  assert.deepEqual(
    rec.outcomes.map((o) => o.causes),
    [['mode'], ['kill_switch'], ['shutdown']],
  );
});

test('macro_rupture: an episode that begins after the settle time, not one the write started', async () => {
  const own = await harness();
  await untilApplied(own.h);
  own.h.cls = 'meso';
  await own.h.run(5);
  own.h.cls = 'macro';
  await own.h.run(SETTLE_S + 10);
  own.h.cls = 'none';
  await own.h.run(WATCH_S);
  assert.deepEqual(
    own.rec.outcomes.map((o) => [o.result, o.causes]),
    [['validated', []]],
    'the write’s own change, still macro after the settle',
  );
  const fault = await harness();
  await untilApplied(fault.h);
  await fault.h.run(SETTLE_S + 30);
  fault.h.cls = 'macro';
  await fault.h.run(5);
  fault.h.cls = 'none';
  await fault.h.run(WATCH_S);
  assert.deepEqual(
    fault.rec.outcomes.map((o) => [o.result, o.causes]),
    [['validated', ['macro_rupture']]],
  );
});

test('a hot device: a cooling move is kept, a heating one stopped early', async () => {
  const hot = await harness();
  hot.h.temp = (pl) => (pl >= 350 ? 86 : 85);
  await untilApplied(hot.h);
  await hot.h.run(SETTLE_S + WATCH_S);
  assert.deepEqual(
    hot.rec.outcomes.map((o) => [o.result, o.causes]),
    [['validated', []]],
  );
  const report = hot.h.actions('validated')[0].validation as { cooling: boolean };
  assert.equal(report.cooling, true);
  const up = await harness();
  up.rec.next = (v) => ({ value: v.current + 25, reason: 'up' });
  up.h.temp = (pl) => (pl > 350 ? 87 : 86);
  await untilApplied(up.h);
  await up.h.run(SETTLE_S + WATCH_S);
  assert.deepEqual(
    up.rec.outcomes.map((o) => [o.result, o.causes, o.tag]),
    [['rolled_back', ['heat_early_stop'], null]],
  );
});
