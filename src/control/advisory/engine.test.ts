// The engine end to end on hand-made ticks: rules fire through hysteresis, advice is de-duplicated over
// many ticks, expires with its ttl, follows per-rig options, and freshness reports raise device_stale.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SnapshotValues } from '../../core/snapshot.ts';
import type { AdvisoryEngine } from './engine.ts';
import { type AdvisoryOptions, DEFAULT_ADVISORY_OPTIONS as D } from './options.ts';
import { collectingEngine, GPU_OK, type ManualClock, snapOf, tickOf, withRules } from './test-kit.ts';
import type { AdvicePayload } from './types.ts';

type Devices = Record<
  string,
  { values: Partial<SnapshotValues>; kpis?: NonNullable<Parameters<typeof tickOf>[3]>['kpis'] }
>;

/** One tick of `rig` one second after the previous one. */
function feed(engine: AdvisoryEngine, clock: ManualClock, rig: string, devices: Devices): void {
  clock.now += 1000;
  const ts = clock.now;
  const names = Object.keys(devices);
  engine.observe({
    rig,
    ts,
    scores: names.map((d) => tickOf(rig, d, ts, { kpis: devices[d].kpis })),
    snapshots: names.map((d) => snapOf(rig, d, ts, devices[d].values)),
  });
}

const summary = (ps: AdvicePayload[]) => ps.map((p) => `${p.state} ${p.kind} ${p.target.device ?? '*'}`);

test('a hot GPU with fan headroom gets raise_fan after persistence; noise near the trigger gets nothing', () => {
  const { engine, clock, payloads } = collectingEngine();
  // 40 ticks alternating just over and just under the hot mark (on, hold): never 3 in a row
  for (let i = 0; i < 40; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: i % 2 === 0 ? 80.2 : 79.6 } } });
  assert.deepEqual(payloads(), []);
  for (let i = 0; i < 3; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 81 } } });
  assert.deepEqual(summary(payloads()), ['active raise_fan gpu0']);
  // back into the band (77–79 °C) for a long time: still active, nothing new
  for (let i = 0; i < 50; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 77 + (i % 3) } } });
  assert.equal(payloads().length, 1);
  // cool for clear_ticks (5) ticks: cleared once
  for (let i = 0; i < 20; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 70 } } });
  assert.deepEqual(summary(payloads()), ['active raise_fan gpu0', 'cleared raise_fan gpu0']);
});

test('a sustained fault over 600 ticks is advised once per kind (within the ttl)', () => {
  const { engine, clock, records, payloads } = collectingEngine();
  const sick = { ...GPU_OK, temp_core_c: 82, temp_mem_c: 109, fan_pct: 93, fan_rpm: 0, throttle_flags: 0x68 };
  for (let i = 0; i < 600; i++)
    feed(engine, clock, 'rig0', {
      gpu0: { values: sick, kpis: { hashrate_ratio: 0.23 } },
      gpu1: { values: GPU_OK },
    });
  assert.deepEqual(summary(payloads()).sort(), [
    'active check_fan gpu0',
    'active inspect_device gpu0',
    'active lower_core_clock gpu0',
    'active lower_power_limit gpu0',
  ]);
  assert.ok(records.every((r) => r.kind === 'advice' && r.rig === 'rig0' && r.ts === clock.now - 597_000));
  assert.equal(engine.active('rig0').length, 4);
  assert.deepEqual(engine.active('rig1'), []);
});

test('ttl: a persisting condition is cleared and raised again every ttl; a silent device expires', () => {
  const o: AdvisoryOptions = { ...D, ttl_ms: 60_000 };
  const { engine, clock, records, payloads } = collectingEngine(() => o);
  const hot = { ...GPU_OK, temp_core_c: 81 };
  for (let i = 0; i < 150; i++) feed(engine, clock, 'rig0', { gpu0: { values: hot } });
  assert.deepEqual(
    payloads().map((p) => [p.state, p.cause]),
    [
      ['active', null],
      ['cleared', 'expired'],
      ['active', null],
      ['cleared', 'expired'],
      ['active', null],
    ],
  );
  // the device goes silent: the sweep clears its advice when the ttl passes
  const before = payloads().length;
  const lastMs = records[before - 1].ts;
  clock.now = lastMs + 59_999;
  engine.sweep();
  assert.equal(payloads().length, before);
  clock.now = lastMs + 60_000;
  engine.sweep();
  assert.deepEqual(
    payloads()
      .slice(before)
      .map((p) => [p.state, p.cause]),
    [['cleared', 'expired']],
  );
});

test('per-rig options: a rule off for one rig, a lower hot mark for another', () => {
  const quiet = withRules({ raise_fan: { enabled: false } });
  const cool: AdvisoryOptions = { ...D, thermal: { ...D.thermal, core_hot_c: 70 } };
  const byRig: Record<string, AdvisoryOptions> = { quiet, cool };
  const { engine, clock, payloads } = collectingEngine((rig) => byRig[rig] ?? D);
  for (let i = 0; i < 5; i++) {
    feed(engine, clock, 'quiet', { gpu0: { values: { ...GPU_OK, temp_core_c: 81 } } });
    feed(engine, clock, 'cool', { gpu0: { values: { ...GPU_OK, temp_core_c: 72 } } });
    feed(engine, clock, 'plain', { gpu0: { values: { ...GPU_OK, temp_core_c: 72 } } });
  }
  assert.deepEqual(
    payloads().map((p) => `${p.kind} ${p.target.rig}`),
    ['raise_fan cool'],
  );
});

test('switching a rule off withdraws its active advice; advisory off stops the rig', () => {
  let o: AdvisoryOptions = D;
  const { engine, clock, payloads } = collectingEngine(() => o);
  for (let i = 0; i < 3; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 81 } } });
  o = withRules({ raise_fan: { enabled: false } });
  feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 81 } } });
  assert.deepEqual(
    payloads().map((p) => [p.state, p.cause]),
    [
      ['active', null],
      ['cleared', 'rule_disabled'],
    ],
  );
  o = { ...D, enabled: false };
  for (let i = 0; i < 10; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 90 } } });
  assert.equal(payloads().length, 2);
});

test('check_pool is one rig-wide advice however many devices report the pool', () => {
  const { engine, clock, payloads } = collectingEngine();
  const slow = { values: { ...GPU_OK, stratum_latency_ms: 1400 } };
  for (let i = 0; i < 30; i++)
    feed(engine, clock, 'rig0', { gpu0: slow, gpu1: slow, gpu2: slow, gpu3: slow });
  assert.deepEqual(summary(payloads()), ['active check_pool *']);
  assert.equal(payloads()[0].severity, 'critical');
  const ok = { values: GPU_OK };
  for (let i = 0; i < 5; i++) feed(engine, clock, 'rig0', { gpu0: ok, gpu1: ok, gpu2: ok, gpu3: ok });
  assert.deepEqual(summary(payloads()), ['active check_pool *', 'cleared check_pool *']);
});

test('freshness reports raise device_stale at once, re-raise it after the ttl, and clear it when fresh', () => {
  const o: AdvisoryOptions = { ...D, ttl_ms: 60_000 };
  const { engine, clock, payloads } = collectingEngine(() => o);
  feed(engine, clock, 'rig0', { gpu1: { values: GPU_OK } });
  const lastFreshMs = clock.now;
  clock.now += 10_000;
  engine.observeFreshness({ rig: 'rig0', device: 'gpu1', state: 'missing', lastFreshMs });
  engine.observeFreshness({ rig: 'rig0', device: 'gpu1', state: 'missing', lastFreshMs });
  assert.deepEqual(summary(payloads()), ['active device_stale gpu1']);
  assert.equal(payloads()[0].severity, 'critical');
  clock.now += 60_000;
  engine.sweep();
  assert.deepEqual(summary(payloads()).slice(1), ['cleared device_stale gpu1', 'active device_stale gpu1']);
  engine.observeFreshness({ rig: 'rig0', device: 'gpu1', state: 'fresh', lastFreshMs: clock.now });
  assert.deepEqual(summary(payloads()).slice(3), ['cleared device_stale gpu1']);
});

test('a device whose samples carry no readings gets device_stale; a fresh tick with readings clears it', () => {
  const { engine, clock, payloads } = collectingEngine();
  for (let i = 0; i < 5; i++)
    feed(engine, clock, 'rig0', { gpu1: { values: {}, kpis: { hashrate_ratio: null } } });
  assert.deepEqual(summary(payloads()), ['active device_stale gpu1']);
  for (let i = 0; i < 5; i++) feed(engine, clock, 'rig0', { gpu1: { values: GPU_OK } });
  assert.deepEqual(summary(payloads()), ['active device_stale gpu1', 'cleared device_stale gpu1']);
});

test('hardware errors rising on an ASIC board: lower_core_clock with a profile step', () => {
  const { engine, clock, payloads } = collectingEngine();
  const board = (hw: number) => ({ values: { hashrate_5s: 36e12, temp_chip_max_c: 74, hw_errors: hw } });
  for (let i = 0; i < 300; i++) feed(engine, clock, 'asic0', { board0: board(Math.floor(i / 100)) });
  assert.deepEqual(payloads(), []);
  for (let i = 0; i < 120; i++) feed(engine, clock, 'asic0', { board0: board(3 + Math.floor(i / 6)) }); // 10/min
  assert.deepEqual(summary(payloads()), ['active lower_core_clock board0']);
  assert.deepEqual(payloads()[0].delta, { setpoint: 'profile_step', by: -1, unit: 'step' });
  // a miner restart sends the counter back to 0: no negative rate, no clear from it alone
  feed(engine, clock, 'asic0', { board0: board(0) });
  assert.equal(payloads().length, 1);
});

test('forgetRig withdraws the rig’s advice', () => {
  const { engine, clock, payloads } = collectingEngine();
  for (let i = 0; i < 3; i++)
    feed(engine, clock, 'rig0', { gpu0: { values: { ...GPU_OK, temp_core_c: 81 } } });
  engine.forgetRig('rig0');
  assert.deepEqual(
    payloads().map((p) => [p.state, p.cause]),
    [
      ['active', null],
      ['cleared', 'rig_removed'],
    ],
  );
  assert.deepEqual(engine.active(), []);
});
