// End to end on the simulator: fleet with injected faults → FleetScorer → advisory engine. The right
// advice appears on the right device within bounded simulated time; healthy devices get none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AdvicePayload, AdvisoryEngine } from '../../src/control/advisory/index.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { FleetScorer } from '../../src/pipeline/index.ts';
import { Fleet, parseFaultSpec } from '../../src/sim/index.ts';

interface Seen {
  /** Seconds since the simulation start. */
  readonly t: number;
  readonly p: AdvicePayload;
}

/** Runs 2 GPU rigs × 2 GPUs (rig0 RTX 3080 Ti, rig1 H100) and one S19-class ASIC at 1 Hz. */
function runFleet(faults: string, seconds: number, seed = 7): Seen[] {
  const fleet = new Fleet({
    seed,
    startMs: Date.UTC(2026, 10, 1, 12),
    gpuRigs: 2,
    gpusPerRig: 2,
    asics: 1,
    faults: parseFaultSpec(faults),
  });
  const scorer = new FleetScorer();
  const seen: Seen[] = [];
  const engine = new AdvisoryEngine({
    clock: { nowMs: () => fleet.nowMs, sleep: () => Promise.resolve() },
    emit: (r) => {
      assert.equal(r.kind, 'advice');
      seen.push({ t: (r.ts - fleet.startMs) / 1000, p: r.payload as AdvicePayload });
    },
  });
  for (let s = 0; s < seconds; s++) {
    fleet.step(1000);
    const byRig = new Map<string, Snapshot[]>();
    for (const snap of fleet.snapshots()) byRig.set(snap.rig, [...(byRig.get(snap.rig) ?? []), snap]);
    for (const [rig, snapshots] of byRig)
      engine.observe({ rig, ts: fleet.nowMs, snapshots, scores: snapshots.map((x) => scorer.push(x).tick) });
  }
  return seen;
}

const where = (p: AdvicePayload) => `${p.target.rig}/${p.target.device ?? '*'}`;

/** First time `kind` was raised on `target` (rig/device or rig/*), seconds. */
function firstRaised(seen: readonly Seen[], target: string, kind: string): number | undefined {
  return seen.find((s) => s.p.state === 'active' && where(s.p) === target && s.p.kind === kind)?.t;
}

/** Every (target, kind) that was ever raised, sorted. */
function raised(seen: readonly Seen[]): string[] {
  const set = new Set(seen.filter((s) => s.p.state === 'active').map((s) => `${where(s.p)} ${s.p.kind}`));
  return [...set].sort();
}

function within(t: number | undefined, from: number, to: number, what: string): void {
  assert.ok(t !== undefined && t >= from && t <= to, `${what} at ${t} s, expected ${from}–${to} s`);
}

function assertNoUnchangedRepeat(seen: readonly Seen[]): void {
  const last = new Map<string, AdvicePayload>();
  for (const { p } of seen) {
    const key = `${where(p)} ${p.kind}`;
    const prev = last.get(key);
    if (prev !== undefined && prev.state === 'active' && p.state === 'active')
      assert.ok(prev.severity !== p.severity || prev.delta?.by !== p.delta?.by, `${key} repeated unchanged`);
    if (prev !== undefined && prev.state === 'cleared')
      assert.equal(p.state, 'active', `${key} cleared twice`);
    last.set(key, p);
  }
}

test('faults get the right advice on the right device in bounded time; healthy devices get none', () => {
  const faults =
    'fan_failure@rig0/gpu0@5m,thermal_paste@rig1/gpu1@2m+10m,pool_latency@rig1@5m+5m,hashboard_dropout@asic0/board1@8m';
  const seen = runFleet(faults, 1200);
  assert.deepEqual(raised(seen), [
    'asic0/board1 inspect_hashboard',
    'rig0/gpu0 check_fan',
    'rig0/gpu0 inspect_device',
    'rig0/gpu0 lower_core_clock',
    'rig0/gpu0 lower_power_limit',
    'rig1/* check_pool',
    'rig1/gpu1 lower_core_clock',
    'rig1/gpu1 lower_power_limit',
  ]);
  // fan failure at 300 s: stalled fan, hot memory with no fan headroom, throttling, lost hash rate
  within(firstRaised(seen, 'rig0/gpu0', 'check_fan'), 300, 330, 'check_fan');
  within(firstRaised(seen, 'rig0/gpu0', 'lower_power_limit'), 300, 360, 'lower_power_limit');
  within(firstRaised(seen, 'rig0/gpu0', 'lower_core_clock'), 300, 360, 'lower_core_clock');
  within(firstRaised(seen, 'rig0/gpu0', 'inspect_device'), 300, 400, 'inspect_device');
  // thermal paste ramping from 120 s on a fanless H100: power limit first, then clock once it throttles
  within(firstRaised(seen, 'rig1/gpu1', 'lower_power_limit'), 120, 420, 'H100 lower_power_limit');
  within(firstRaised(seen, 'rig1/gpu1', 'lower_core_clock'), 120, 420, 'H100 lower_core_clock');
  const h100 = seen.find((s) => s.p.kind === 'lower_power_limit' && where(s.p) === 'rig1/gpu1')!.p;
  assert.deepEqual(h100.delta, { setpoint: 'power_limit_w', by: -35, unit: 'W' });
  assert.match(h100.reason, /^rig1\/gpu1 runs hot \(core \d+ °C, hot mark 80 °C\) with no fan control/);
  // pool latency 300–600 s: one rig-wide advice, cleared once latency and the stale shares it caused are gone
  within(firstRaised(seen, 'rig1/*', 'check_pool'), 300, 330, 'check_pool');
  const poolCleared = seen.find((s) => s.p.kind === 'check_pool' && s.p.state === 'cleared');
  within(poolCleared?.t, 600, 1200, 'check_pool cleared');
  assert.equal(poolCleared?.p.cause, 'condition_ended');
  // hashboard 1 gone at 480 s
  within(firstRaised(seen, 'asic0/board1', 'inspect_hashboard'), 480, 500, 'inspect_hashboard');
  const board = seen.find((s) => s.p.kind === 'inspect_hashboard')!.p;
  assert.equal(board.severity, 'critical');
  assert.deepEqual(board.target, { rig: 'asic0', device: 'board1', board: 1 });
  assert.equal(board.evidence.board_missing, true);
  // healthy devices: nothing at all (rig1's GPUs share the rig-wide pool advice only)
  for (const healthy of ['rig0/gpu1', 'rig1/gpu0', 'asic0/board0', 'asic0/board2', 'asic0/total'])
    assert.deepEqual(
      seen.filter((s) => where(s.p) === healthy),
      [],
      healthy,
    );
  assertNoUnchangedRepeat(seen);
});

test('a healthy fleet gets no advice in an hour (two seeds)', () => {
  for (const seed of [7, 11]) assert.deepEqual(runFleet('', 3600, seed), [], `seed ${seed}`);
});

test('a power-brake sag and a driver crash: check_power_supply on the rig, device_stale while the GPU is gone', () => {
  const seen = runFleet('psu_sag@rig0@2m+3m,driver_crash@rig1/gpu1@6m+1m', 600);
  within(firstRaised(seen, 'rig0/gpu0', 'check_power_supply'), 120, 130, 'gpu0 check_power_supply');
  within(firstRaised(seen, 'rig0/gpu1', 'check_power_supply'), 120, 130, 'gpu1 check_power_supply');
  const supplyCleared = seen.filter((s) => s.p.kind === 'check_power_supply' && s.p.state === 'cleared');
  assert.equal(supplyCleared.length, 2);
  for (const s of supplyCleared) within(s.t, 300, 320, 'check_power_supply cleared');
  within(firstRaised(seen, 'rig1/gpu1', 'device_stale'), 360, 370, 'device_stale');
  const back = seen.find((s) => s.p.kind === 'device_stale' && s.p.state === 'cleared');
  within(back?.t, 420, 440, 'device_stale cleared');
  assert.deepEqual(
    seen.filter((s) =>
      ['rig1/gpu0', 'asic0/board0', 'asic0/board1', 'asic0/board2', 'asic0/total'].includes(where(s.p)),
    ),
    [],
  );
  assertNoUnchangedRepeat(seen);
});
