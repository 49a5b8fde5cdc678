// Tests of the tuning bench's independent guard-rail audit: a clean record stream passes, and each rail
// broken on purpose (bounds, grid, steps, guard curve, interval, cap, cooldown, rupture, busy) is caught.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AuditContext, type AuditInput, auditGuardRails } from '../../bench/tune/guard-audit.ts';
import { AutotuneOptionsSchema } from '../../src/control/autotune/index.ts';
import type { ControlRecord } from '../../src/core/sink.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const calm = { entropy: 0.9, coherence: 0.9, stability: 0.9, rupture: 0.1, lambda_hazard: 0.1 };
const options = AutotuneOptionsSchema.parse({ bounds: { power_limit_w: { min: 200, max: 700 } } });

interface Step {
  readonly atMin: number;
  readonly from: number;
  readonly to: number;
  readonly end?: 'validated' | 'rolled_back' | 'open';
  readonly ctx?: Partial<AuditContext>;
}

function input(steps: readonly Step[], more: Partial<AuditInput> = {}): AuditInput {
  const records: ControlRecord[] = [];
  const contexts: AuditContext[] = [];
  steps.forEach((s, i) => {
    const ts = T0 + s.atMin * MIN;
    const base = {
      id: `a${i}`,
      device: 'gpu0',
      setpoint: 'power_limit_w',
      from: s.from,
      to: s.to,
      purpose: 'tune',
    };
    records.push({ kind: 'action', rig: 'r', ts, payload: { ...base, status: 'intended' } });
    records.push({ kind: 'action', rig: 'r', ts, payload: { ...base, status: 'verified' } });
    if (s.end !== 'open')
      records.push({
        kind: 'action',
        rig: 'r',
        ts: ts + 6 * MIN,
        payload: { ...base, status: s.end ?? 'validated' },
      });
    contexts.push({
      ts,
      current: calm,
      previous: calm,
      ruptureClass: 'none',
      lastScoreMs: ts,
      fanPct: null,
      ...s.ctx,
    });
  });
  return {
    id: 'r',
    device: 'gpu0',
    options,
    limits: { power_limit_w: { min: 200, max: 700, default: 700 } },
    records,
    contexts,
    macroMs: [],
    limitTrace: [700, 680],
    ...more,
  };
}

const clean: Step[] = [
  { atMin: 0, from: 700, to: 680 },
  { atMin: 10, from: 680, to: 660 },
  { atMin: 20, from: 660, to: 640 },
];

test('a clean stream has no violation', () => {
  assert.deepEqual(auditGuardRails(input(clean)), []);
});

test('each broken rail is reported', () => {
  const cases: [string, AuditInput, RegExp][] = [
    ['bounds', input([{ atMin: 0, from: 210, to: 190 }]), /outside \[200, 700\]/],
    ['max step', input([{ atMin: 0, from: 700, to: 670 }]), /over max_step/],
    ['min step', input([{ atMin: 0, from: 700, to: 698 }]), /under min_step/],
    [
      'guard curve',
      input([{ atMin: 0, from: 700, to: 680, ctx: { current: { ...calm, rupture: 1, stability: 0 } } }]),
      /guard-scaled/,
    ],
    ['interval', input([clean[0], { atMin: 5, from: 680, to: 660 }]), /after the previous action/],
    [
      'hourly cap',
      input(Array.from({ length: 7 }, (_, i) => ({ atMin: 8 * i, from: 700 - 20 * i, to: 680 - 20 * i }))),
      /7 actions within an hour/,
    ],
    [
      'cooldown',
      input([
        { atMin: 0, from: 700, to: 680, end: 'rolled_back' },
        { atMin: 20, from: 700, to: 680 },
      ]),
      /inside a cooldown/,
    ],
    ['macro cooldown', input(clean, { macroMs: [T0 + 15 * MIN] }), /inside a cooldown/],
    [
      'rupture',
      input([{ atMin: 0, from: 700, to: 680, ctx: { ruptureClass: 'meso' } }]),
      /rupture class meso/,
    ],
    ['stale', input([{ atMin: 0, from: 700, to: 680, ctx: { lastScoreMs: T0 - 5 * MIN } }]), /stale score/],
    [
      'busy',
      input([
        { atMin: 0, from: 700, to: 680, end: 'open' },
        { atMin: 10, from: 680, to: 660 },
      ]),
      /still open/,
    ],
    ['device trace', input(clean, { limitTrace: [700, 150] }), /outside \[200, 700\] for 1 s/],
  ];
  for (const [name, a, re] of cases) {
    const v = auditGuardRails(a);
    assert.ok(
      v.some((x) => re.test(x)),
      `${name}: ${JSON.stringify(v)}`,
    );
  }
});
