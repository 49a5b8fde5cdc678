// The tracker's bare-verdict path (slotMask + stepVerdict, the engine's hot path) publishes exactly
// what feeding every finding to step does, over random verdict sequences, expiries and withdrawals.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { T0 } from './test-kit.ts';
import { AdviceTracker, kindBit, type TrackerParams } from './tracker.ts';
import type { AdviceDelta, AdviceKind, Finding } from './types.ts';

const TARGETS = [
  { kind: 'raise_fan', rig: 'rig0', device: 'gpu0' },
  { kind: 'raise_fan', rig: 'rig0', device: 'gpu1' },
  { kind: 'lower_power_limit', rig: 'rig0', device: 'gpu0' },
  { kind: 'check_pool', rig: 'rig0', device: null },
  { kind: 'check_pool', rig: 'rig1', device: null },
  { kind: 'device_stale', rig: 'rig1', device: 'board2' },
] as const;

const DELTAS: readonly (AdviceDelta | null)[] = [
  null,
  { setpoint: 'fan_pct', by: 10, unit: '%' },
  { setpoint: 'fan_pct', by: 5, unit: '%' },
  { setpoint: 'power_limit_w', by: -18, unit: 'W' },
];

const opArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      op: fc.constant('verdict' as const),
      target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
      state: fc.constantFrom('on', 'on', 'off', 'hold'),
      severity: fc.constantFrom('info', 'warning', 'critical'),
      delta: fc.integer({ min: 0, max: DELTAS.length - 1 }),
      advanceMs: fc.constantFrom(0, 1000, 1000, 60_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('withdraw' as const), rig: fc.constantFrom('rig0', 'rig1') }),
  },
);

test('stepVerdict with the slot mask publishes what step publishes', () => {
  fc.assert(
    fc.property(
      fc.record({
        persistTicks: fc.integer({ min: 1, max: 3 }),
        clearTicks: fc.integer({ min: 1, max: 3 }),
        ttlMs: fc.constantFrom(5_000, 120_000),
      }),
      fc.array(opArb, { maxLength: 150 }),
      (params: TrackerParams, ops) => {
        const full = new AdviceTracker();
        const bare = new AdviceTracker();
        let nowMs = T0;
        let serial = 0;
        for (const op of ops) {
          if (op.op === 'expire') {
            assert.deepStrictEqual(bare.expire(nowMs), full.expire(nowMs));
            continue;
          }
          if (op.op === 'withdraw') {
            const match = (_k: AdviceKind, rig: string) => rig === op.rig;
            assert.deepStrictEqual(bare.withdraw(match, 'rig_removed'), full.withdraw(match, 'rig_removed'));
            continue;
          }
          nowMs += op.advanceMs;
          serial += 1;
          const t = TARGETS[op.target];
          const f: Finding = {
            kind: t.kind,
            target: { rig: t.rig, device: t.device, board: null },
            state: op.state,
            severity: op.severity,
            delta: DELTAS[op.delta],
            reason: `verdict ${serial}`,
            evidence: { serial },
          };
          const expected = full.step(f, nowMs, params);
          const held = (bare.slotMask(t.rig, t.device) & kindBit(t.kind)) !== 0;
          let got = null;
          if (held || f.state === 'on') {
            const gist = f.state === 'on' && held ? { severity: f.severity, delta: f.delta } : null;
            const step = bare.stepVerdict(t.kind, t.rig, t.device, f.state, params, gist);
            assert.notEqual(step, 'need_gist');
            if (step === 'need_finding') got = bare.step(f, nowMs, params);
          }
          assert.deepStrictEqual(got, expected);
        }
        assert.deepStrictEqual(bare.active(), full.active());
      },
    ),
    { numRuns: 1500, seed: 9090 },
  );
});

test('stepVerdict asks for the gist of an on verdict on an active advice, and applies nothing', () => {
  const t = new AdviceTracker();
  const params = { persistTicks: 1, clearTicks: 1, ttlMs: 60_000 };
  assert.equal(t.stepVerdict('check_pool', 'rig0', null, 'on', params, null), 'need_finding');
  assert.equal(t.slotMask('rig0', null), 0);
  const f: Finding = {
    kind: 'check_pool',
    target: { rig: 'rig0', device: null, board: null },
    state: 'on',
    severity: 'warning',
    delta: null,
    reason: 'r',
    evidence: {},
  };
  assert.notEqual(t.step(f, T0, params), null);
  assert.equal(t.slotMask('rig0', null), kindBit('check_pool'));
  assert.equal(t.stepVerdict('check_pool', 'rig0', null, 'on', params, null), 'need_gist');
  const same = { severity: 'warning', delta: null } as const;
  assert.equal(t.stepVerdict('check_pool', 'rig0', null, 'on', params, same), 'done');
  const worse = { severity: 'critical', delta: null } as const;
  assert.equal(t.stepVerdict('check_pool', 'rig0', null, 'on', params, worse), 'need_finding');
  assert.equal(t.stepVerdict('check_pool', 'rig0', null, 'off', params, null), 'need_finding');
  assert.equal(t.active().length, 1);
});
