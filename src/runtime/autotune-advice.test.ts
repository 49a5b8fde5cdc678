// Lifetimes of auto-tune advice: cleared when the ttl passes, when a newer advice on the same subject
// replaces it, or when the rig stops being tuned; actions and other rigs pass untouched.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControlRecord } from '../core/sink.ts';
import { AdviceLifetimes } from './autotune-advice.ts';

function advice(rig: string, ts: number, kind: string, device = 'gpu0', ttl = 1000): ControlRecord {
  return {
    kind: 'advice',
    rig,
    ts,
    payload: {
      id: `${kind}:${rig}:${device}:${ts}`,
      state: 'active',
      kind,
      target: { rig, device, board: null },
      delta: { setpoint: 'power_limit_w', by: -25, unit: 'W' },
      ttl_ms: ttl,
      cause: null,
    },
  };
}

const summary = (out: ControlRecord[]) =>
  out.map((r) =>
    `${r.ts} ${r.kind} ${r.payload.id ?? ''} ${r.payload.state ?? ''} ${r.payload.cause ?? ''}`.trim(),
  );

test('expired, superseded and forgotten advice is cleared once; actions pass as they are', () => {
  const out: ControlRecord[] = [];
  const life = new AdviceLifetimes((r) => out.push(r));
  life.pass(advice('r', 0, 'tune_setpoint'));
  life.pass(advice('r', 10, 'setpoint_not_applied'));
  life.pass(advice('s', 10, 'tune_setpoint'));
  life.pass({ kind: 'action', rig: 'r', ts: 20, payload: { id: 'a1', status: 'verified' } });
  life.sweep('r', 999);
  life.sweep('r', 1000);
  life.sweep('r', 2000);
  life.pass(advice('r', 1500, 'setpoint_not_applied'));
  life.forget('s', 3000);
  assert.equal(life.size, 1);
  assert.deepEqual(summary(out), [
    '0 advice tune_setpoint:r:gpu0:0 active',
    '10 advice setpoint_not_applied:r:gpu0:10 active',
    '10 advice tune_setpoint:s:gpu0:10 active',
    '20 action a1',
    '1000 advice tune_setpoint:r:gpu0:0 cleared expired',
    '2000 advice setpoint_not_applied:r:gpu0:10 cleared expired',
    '1500 advice setpoint_not_applied:r:gpu0:1500 active',
    '3000 advice tune_setpoint:s:gpu0:10 cleared rig_removed',
  ]);
  const again: ControlRecord[] = [];
  const other = new AdviceLifetimes((r) => again.push(r));
  other.pass(advice('r', 0, 'setpoint_not_applied'));
  other.pass(advice('r', 300, 'setpoint_not_applied'));
  assert.deepEqual(summary(again), [
    '0 advice setpoint_not_applied:r:gpu0:0 active',
    '300 advice setpoint_not_applied:r:gpu0:0 cleared superseded',
    '300 advice setpoint_not_applied:r:gpu0:300 active',
  ]);
});
