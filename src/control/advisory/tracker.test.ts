// The advice state machine: persistence before raising, hysteresis while active, de-duplication,
// updates on delta or severity, ttl expiry; and a property test that nothing repeats unchanged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { T0 } from './test-kit.ts';
import { AdviceTracker, adviceKey, type TrackerParams } from './tracker.ts';
import type { AdviceDelta, AdvicePayload, Finding, Severity } from './types.ts';

const P: TrackerParams = { persistTicks: 3, clearTicks: 2, ttlMs: 60_000 };

function finding(
  state: Finding['state'],
  severity: Severity = 'warning',
  by = -18,
  device = 'gpu0',
): Finding {
  const delta: AdviceDelta = { setpoint: 'power_limit_w', by, unit: 'W' };
  return {
    kind: 'lower_power_limit',
    target: { rig: 'rig0', device, board: null },
    state,
    severity,
    delta,
    reason: `reason ${state}`,
    evidence: { x: 1 },
  };
}

function run(tracker: AdviceTracker, states: Finding[], startMs = T0, stepMs = 1000): AdvicePayload[] {
  const out: AdvicePayload[] = [];
  states.forEach((f, i) => {
    const p = tracker.step(f, startMs + i * stepMs, P);
    if (p !== null) out.push(p);
  });
  return out;
}

test('raised after persistTicks consecutive on verdicts, once', () => {
  const t = new AdviceTracker();
  const out = run(
    t,
    Array.from({ length: 50 }, () => finding('on')),
  );
  assert.equal(out.length, 1);
  assert.equal(out[0].state, 'active');
  assert.equal(out[0].raised_ms, T0 + 2000);
  assert.equal(out[0].id, `lower_power_limit:rig0:gpu0:${T0 + 2000}`);
  assert.equal(out[0].ttl_ms, 60_000);
  assert.equal(t.active().length, 1);
});

test('noise around the trigger (on, hold, on, off…) never raises', () => {
  const t = new AdviceTracker();
  const pattern: Finding['state'][] = ['on', 'on', 'hold', 'on', 'off', 'on', 'on', 'hold'];
  const out = run(
    t,
    Array.from({ length: 80 }, (_, i) => finding(pattern[i % pattern.length])),
  );
  assert.deepEqual(out, []);
});

test('while active, hold and isolated off verdicts keep it; clearTicks offs clear it once', () => {
  const t = new AdviceTracker();
  const states: Finding['state'][] = [
    'on',
    'on',
    'on',
    'hold',
    'off',
    'hold',
    'off',
    'on',
    'off',
    'off',
    'off',
    'off',
  ];
  const out = run(
    t,
    states.map((s) => finding(s)),
  );
  assert.deepEqual(
    out.map((p) => p.state),
    ['active', 'cleared'],
  );
  const cleared = out[1];
  assert.equal(cleared.id, out[0].id);
  assert.equal(cleared.cause, 'condition_ended');
  assert.equal(cleared.delta, null);
  assert.equal(
    cleared.reason,
    'Cleared: rig0/gpu0 no longer needs to lower the power limit (2 ticks past the clear threshold).',
  );
  assert.equal(t.active().length, 0);
});

test('re-emitted under the same id when the delta changes or the severity rises, never when it falls', () => {
  const t = new AdviceTracker();
  const out = run(t, [
    finding('on'),
    finding('on'),
    finding('on'),
    finding('on', 'critical'),
    finding('on', 'warning'),
    finding('on', 'warning', -17),
    finding('on', 'warning', -17),
  ]);
  assert.deepEqual(
    out.map((p) => [p.state, p.severity, p.delta?.by]),
    [
      ['active', 'warning', -18],
      ['active', 'critical', -18],
      ['active', 'critical', -17],
    ],
  );
  assert.equal(new Set(out.map((p) => p.id)).size, 1);
});

test('ttl: an expired advice is cleared, then raised again under a new id if the condition holds', () => {
  const t = new AdviceTracker();
  run(t, [finding('on'), finding('on'), finding('on')]);
  assert.deepEqual(t.expire(T0 + 2000 + 59_999), []);
  const expired = t.expire(T0 + 2000 + 60_000);
  assert.equal(expired.length, 1);
  assert.equal(expired[0].cause, 'expired');
  assert.match(expired[0].reason, /reached its 60 s lifetime/);
  const again = run(t, [finding('on'), finding('on'), finding('on')], T0 + 70_000);
  assert.equal(again.length, 1);
  assert.notEqual(again[0].id, expired[0].id);
});

test('an update restarts the ttl', () => {
  const t = new AdviceTracker();
  run(t, [finding('on'), finding('on'), finding('on')]);
  assert.ok(t.step(finding('on', 'critical'), T0 + 50_000, P));
  assert.deepEqual(t.expire(T0 + 100_000), []);
  assert.equal(t.expire(T0 + 110_000).length, 1);
});

test('withdraw clears selected slots and drops their pending counts', () => {
  const t = new AdviceTracker();
  run(t, [finding('on'), finding('on'), finding('on')]);
  t.step(finding('on', 'warning', -18, 'gpu1'), T0, P);
  const gone = t.withdraw((kind, rig) => kind === 'lower_power_limit' && rig === 'rig0', 'rule_disabled');
  assert.deepEqual(
    gone.map((p) => [p.cause, p.target.device]),
    [['rule_disabled', 'gpu0']],
  );
  // gpu1's pending count was dropped: two more on verdicts do not raise it
  assert.equal(t.step(finding('on', 'warning', -18, 'gpu1'), T0 + 1000, P), null);
  assert.equal(t.step(finding('on', 'warning', -18, 'gpu1'), T0 + 2000, P), null);
  assert.equal(adviceKey('check_pool', 'rig0', null), 'check_pool\u0000rig0\u0000');
});

const arbFinding = fc.record({
  state: fc.constantFrom<Finding['state']>('on', 'on', 'off', 'hold'),
  severity: fc.constantFrom<Severity>('info', 'warning', 'critical'),
  by: fc.constantFrom(-18, -17),
  device: fc.constantFrom('gpu0', 'gpu1'),
  gapMs: fc.integer({ min: 1, max: 40_000 }),
  sweep: fc.boolean(),
});

test('property: per target, no record is emitted twice in a row unchanged', () => {
  fc.assert(
    fc.property(
      fc.array(arbFinding, { maxLength: 300 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      (steps, persistTicks, clearTicks) => {
        const params = { persistTicks, clearTicks, ttlMs: 120_000 };
        const t = new AdviceTracker();
        const byTarget = new Map<string, AdvicePayload[]>();
        const keep = (p: AdvicePayload) => {
          const list = byTarget.get(p.target.device!) ?? [];
          list.push(p);
          byTarget.set(p.target.device!, list);
        };
        const lastEmitMs = new Map<string, number>();
        let now = T0;
        for (const s of steps) {
          now += s.gapMs;
          if (s.sweep) {
            t.expire(now).forEach(keep);
            // nothing active outlives its ttl past a sweep
            for (const p of t.active()) assert.ok(now - lastEmitMs.get(p.target.device!)! < params.ttlMs);
          }
          const p = t.step(finding(s.state, s.severity, s.by, s.device), now, params);
          if (p !== null) {
            keep(p);
            lastEmitMs.set(s.device, now);
          }
        }
        for (const list of byTarget.values()) {
          for (let i = 1; i < list.length; i++) {
            const [a, b] = [list[i - 1], list[i]];
            if (a.state === 'cleared')
              assert.equal(b.state, 'active', 'a cleared record follows a cleared one');
            if (b.state === 'cleared') assert.equal(a.state, 'active', 'cleared without being active');
            if (a.state === 'active' && b.state === 'active') {
              assert.equal(a.id, b.id, 'a second raise without a clear');
              assert.ok(a.severity !== b.severity || a.delta?.by !== b.delta?.by, 'repeated unchanged');
            }
            if (a.state === 'cleared' && b.state === 'active') assert.notEqual(a.id, b.id);
          }
        }
      },
    ),
    { seed: 5, numRuns: 300 },
  );
});
