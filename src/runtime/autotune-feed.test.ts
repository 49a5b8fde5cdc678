// The service's auto-tune feed over scripted actuators and an in-memory journal on a fake clock: ticks
// never wait for a decision pass (a hung device only coalesces them), reloads apply modes and options
// live, removed rigs restore their safe settings, the kill switch reaches rebuilt controllers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { type AutotuneOptionsInput, KillSwitch } from '../control/autotune/index.ts';
import { FakeActuator, MemoryJournal, sampleSnapshot, scoreTick } from '../control/autotune/test-kit.ts';
import type { ActuatorContext, DeviceControl, SetpointKind } from '../core/actuator.ts';
import { ActuatorError } from '../core/errors.ts';
import type { ControlRecord, RigTickBatch } from '../core/sink.ts';
import { AutotuneFeed, type AutotuneRig } from './autotune-feed.ts';
import { OpsReporter } from './ops-events.ts';

const OPTIONS: AutotuneOptionsInput = {
  baseline_ms: 60_000,
  settle_ms: 10_000,
  watch_ms: 60_000,
  block_ms: 10_000,
  min_interval_ms: 0,
  action_timeout_ms: 600_000,
  safe: { power_limit_w: 300 },
};

/** A FakeActuator whose describe() can be held until released (a hung device). */
class HeldActuator extends FakeActuator {
  held: Promise<void> | null = null;
  failReads = false;
  describes = 0;
  closed = false;

  override async read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    if (this.failReads) throw new ActuatorError('unreachable', 'read failed');
    return super.read(device, kind, ctx);
  }

  override async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    this.describes += 1;
    if (this.held !== null) await this.held;
    return super.describe(ctx);
  }

  override async close(): Promise<void> {
    this.closed = true;
  }
}

function harness(mode: 'advise' | 'auto' = 'advise') {
  const clock = new FakeClock(1_800_000_000_000);
  const journal = new MemoryJournal();
  const killSwitch = new KillSwitch();
  const records: ControlRecord[] = [];
  const codes: string[] = [];
  const ops = new OpsReporter(
    pino({ level: 'silent' }),
    () => clock.nowMs(),
    10_000,
    (e) => codes.push(e.code),
  );
  const actuators = new Map<string, HeldActuator>();
  const rig = (name: string, over: Partial<AutotuneRig> = {}): AutotuneRig => ({
    name,
    autotune: mode,
    autotuneOptions: OPTIONS,
    actuator: {
      key: 'fake',
      kind: 'fake',
      create: () => {
        const a = new HeldActuator(name, { g0: { power_limit_w: { min: 100, max: 400, default: 350 } } });
        actuators.set(name, a);
        return a;
      },
    },
    ...over,
  });
  const make = (rigs: readonly AutotuneRig[]) =>
    new AutotuneFeed(rigs, { clock, journal, killSwitch, ops, emit: (r) => records.push(r) });
  let n = 0;
  /** `seconds` one-second ticks of `names`, each with a snapshot and a score of g0. */
  const run = async (feed: AutotuneFeed, names: readonly string[], seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      await clock.advance(1000);
      const ts = clock.nowMs();
      n += 1;
      for (const name of names) {
        const pl = actuators.get(name)?.value('g0', 'power_limit_w') ?? 350;
        const snap = sampleSnapshot(name, 'g0', ts, {
          hashrate: 4e5 * (1 + 0.001 * (350 - pl)) * 330 * (1 + 0.003 * Math.sin(n)),
          power: 330,
          accepted: n,
          rejected: 0,
          hw: 0,
        });
        const batch: RigTickBatch = {
          rig: name,
          ts,
          snapshots: [snap],
          scores: [scoreTick(name, 'g0', ts)],
          events: [],
          state: { schema: 1, rig: name, ts, devices: [] },
        };
        feed.observe(batch);
      }
    }
  };
  return { clock, journal, killSwitch, records, actuators, rig, make, run, codes };
}

test('a hung device never blocks ticks: they only hand over data and coalesce', async () => {
  const h = harness('auto');
  const feed = h.make([h.rig('r')]);
  const a = h.actuators.get('r') as HeldActuator;
  // A value that cannot be read makes a pass re-describe the devices a minute later: it hangs there.
  a.failReads = true;
  await feed.start();
  let release: () => void = () => undefined;
  a.held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await h.run(feed, ['r'], 200);
  assert.equal(a.describes, 2, 'one pass is stuck in describe');
  const held = feed.status()[0];
  assert.ok(Number(held.coalesced_ticks) > 100, `coalesced ${held.coalesced_ticks}`);
  assert.equal(held.ticks, 200);
  a.failReads = false;
  release();
  a.held = null;
  await h.clock.advance(0);
  const result = await feed.requestAction('r', {
    device: 'g0',
    kind: 'power_limit_w',
    value: 345,
    reason: 't',
  });
  assert.notEqual(result.status, 'validating', 'the controller answers at once (its baseline was held up)');
  await feed.stop();
});

test('reload: a changed mode applies live and replaces one set through the API', async () => {
  const h = harness('advise');
  const feed = h.make([h.rig('r')]);
  await feed.start();
  await feed.setMode('r', 'auto');
  assert.equal(feed.modeOverride('r'), 'auto');
  feed.configure([h.rig('r', { autotune: 'advise' })]);
  assert.equal(feed.modeOverride('r'), 'auto', 'configured mode unchanged: the API mode holds');
  feed.configure([h.rig('r', { autotune: 'off' })]);
  await h.clock.advance(0);
  assert.equal(feed.modeOverride('r'), undefined);
  assert.equal(feed.status()[0].mode, 'off');
  await feed.stop();
});

test('reload: new options apply live without rolling back what validates; the kill switch still reaches it', async () => {
  const h = harness('auto');
  const feed = h.make([h.rig('r')]);
  await feed.start();
  await h.run(feed, ['r'], 80);
  const a = h.actuators.get('r') as HeldActuator;
  assert.equal(a.value('g0', 'power_limit_w'), 325, 'stepped once');
  feed.configure([h.rig('r', { autotuneOptions: { ...OPTIONS, max_step: { power_limit_w: 10 } } })]);
  await h.clock.advance(0);
  assert.equal(a.value('g0', 'power_limit_w'), 325, 'the step under validation is kept');
  assert.equal(h.journal.inFlight('r').length, 1, 'and still watched');
  feed.configure([h.rig('r', { autotuneOptions: { ...OPTIONS, max_step: { power_limit_w: -1 } } })]);
  assert.equal(h.codes.at(-1), 'autotune_reconfigure_failed', 'bad options: reported, the old ones stay');
  h.killSwitch.engage('test');
  await h.clock.advance(0);
  assert.equal(feed.status()[0].kill_switch, true);
  h.killSwitch.release();
  await h.clock.advance(0);
  assert.equal(feed.status()[0].kill_switch, false);
  await feed.stop();
});

test('reload: a removed rig restores its safe settings and closes its driver; an added one starts', async () => {
  const h = harness('auto');
  const feed = h.make([h.rig('r'), h.rig('s')]);
  await feed.start();
  await h.run(feed, ['r', 's'], 80);
  const r = h.actuators.get('r') as HeldActuator;
  assert.equal(r.value('g0', 'power_limit_w'), 325);
  feed.configure([h.rig('s'), h.rig('t')]);
  await h.clock.advance(0);
  assert.equal(r.value('g0', 'power_limit_w'), 300, 'safe setting restored');
  assert.equal(r.closed, true);
  assert.deepEqual(feed.rigs, ['s', 't']);
  assert.equal(h.actuators.get('t')?.describes, 1, 'the added rig started');
  const failing = h.rig('u', {
    actuator: {
      key: 'x',
      kind: 'x',
      create: () => {
        throw new Error('no such device');
      },
    },
  });
  feed.configure([h.rig('s'), h.rig('t'), failing]);
  assert.deepEqual(feed.rigs, ['s', 't'], 'a driver that cannot be built leaves the rig advised only');
  await feed.stop();
  assert.equal(h.actuators.get('s')?.closed, true);
  assert.ok(h.records.some((x) => x.kind === 'action' && x.payload.purpose === 'restore'));
});

test('the API side: actions from the journal, newest last and limited; the kill switch state', async () => {
  const h = harness('auto');
  const feed = h.make([h.rig('r')]);
  await feed.start();
  await h.run(feed, ['r'], 80);
  const [a1] = feed.actions('r', 0, 10);
  assert.deepEqual(
    [a1.id, a1.status, a1.from, a1.to, a1.setpoint],
    ['a1', 'verified', 350, 325, 'power_limit_w'],
  );
  assert.deepEqual(feed.actions('r', h.clock.nowMs() + 1, 10), []);
  const state = feed.setKillSwitch(true, 'maintenance');
  assert.deepEqual(state, { engaged: true, reason: 'maintenance', changed_ms: h.clock.nowMs() });
  await h.clock.advance(0);
  assert.equal(feed.actions('r', 0, 1)[0].status, 'rolled_back');
  assert.equal(feed.has('r') && !feed.has('nope'), true);
  await feed.stop();
});
