// Tests of the `--faults` spec parser: scheduled items, random rates, defaults, and that any input
// either parses or fails with RT_CONFIG_INVALID (fuzzed).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { pasteFactor } from './fault-effects.ts';
import { FAULT_KINDS, parseFaultSpec } from './faults.ts';

test('scheduled faults: target, start, duration, severity', () => {
  const plan = parseFaultSpec(
    'fan_failure@rig1/gpu0@40m, pool_latency@rig2@50m+5m*0.5,random:0.2,random:0.1',
  );
  assert.deepEqual(plan.scheduled, [
    {
      kind: 'fan_failure',
      rig: 'rig1',
      device: 'gpu0',
      startOffsetMs: 2_400_000,
      durationMs: null,
      severity: 1,
    },
    {
      kind: 'pool_latency',
      rig: 'rig2',
      device: null,
      startOffsetMs: 3_000_000,
      durationMs: 300_000,
      severity: 0.5,
    },
  ]);
  assert.ok(Math.abs(plan.randomPerRigHour - 0.3) < 1e-12);
  assert.deepEqual(parseFaultSpec(''), { scheduled: [], randomPerRigHour: 0 });
  assert.equal(parseFaultSpec('psu_sag@asic0@1h2m3s*0.25').scheduled[0].startOffsetMs, 3_723_000);
});

test('bad items are RT_CONFIG_INVALID with field faults', () => {
  for (const bad of [
    'fan_failure@rig1',
    'meteor@rig1@5m',
    'fan_failure@rig 1@5m',
    'fan_failure@rig1@5m*0',
    'fan_failure@rig1@5m*1.5',
    'fan_failure@rig1@5m+0s',
    'fan_failure@rig1@soon',
    'random:-1',
    'random:x',
  ]) {
    assert.throws(
      () => parseFaultSpec(bad),
      (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && err.where.field === 'faults',
      bad,
    );
  }
});

test('any text parses or fails with RT_CONFIG_INVALID, never anything else', () => {
  const piece = fc.oneof(
    fc.constantFrom(...FAULT_KINDS, 'random:', '@', '/', '+', '*', ',', 'rig0', 'gpu1', '5m', '0.5', '1h'),
    fc.string({ maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
      const text = parts.join('');
      try {
        const plan = parseFaultSpec(text);
        for (const s of plan.scheduled) {
          assert.ok(s.severity > 0 && s.severity <= 1);
          assert.ok(s.startOffsetMs >= 0);
        }
      } catch (err) {
        assert.ok(isRigtuneError(err, 'RT_CONFIG_INVALID'), String(err));
      }
    }),
    { numRuns: 2000 },
  );
});

test('thermal-paste ramp rises linearly from the start and stays at 1', () => {
  const fault = {
    label: {
      id: 's1',
      kind: 'thermal_paste' as const,
      rig: 'r',
      device: 'gpu0',
      ts_start: 1000,
      ts_end: null,
      severity: 1,
    },
    rampMs: 100,
    index: 0,
  };
  assert.equal(pasteFactor([fault], 500, 3), 1);
  assert.equal(pasteFactor([fault], 1050, 3), 2.5);
  assert.equal(pasteFactor([fault], 5000, 3), 4);
  assert.equal(pasteFactor([], 5000, 3), 1);
});
