// The partition's advisory engine: records stamped with the entry's tick, versions by the Valkey sink's
// rule, a rig set to `off` cleared, and restore() continuing an episode instead of raising it again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdvicePayload } from '../../control/advisory/index.ts';
import { scoreTick } from '../../control/autotune/test-kit.ts';
import type { RigTickBatch } from '../../core/sink.ts';
import { RigAdvisor } from './rig-advisor.ts';

const T0 = 1_800_000_000_000;

/** A tick in which hashboard 0 hashes at `ratio` of its expected rate (inspect_hashboard when low). */
function batch(i: number, ratio = 0.3): RigTickBatch {
  const base = scoreTick('rig0', 'board0', T0 + i * 1000);
  const tick = { ...base, kpis: { ...base.kpis, hashrate_ratio: ratio } };
  return { rig: 'rig0', ts: T0 + i * 1000, snapshots: [], scores: [tick], events: [], state: {} as never };
}

test('records carry the tick; versions follow the sink rule; a rig turned off is cleared', () => {
  const a = new RigAdvisor((_rig, err) => assert.fail(String(err)));
  a.configure('rig0', null);
  const out = [0, 1, 2, 3, 4].flatMap((i) => a.observe(batch(i)));
  assert.equal(out.length, 1, 'inspect_hashboard raised after persist_ticks');
  for (const o of out) assert.equal(o.version.split(':')[0], String(o.record.ts));
  const raised = out[0].record;
  assert.equal((raised.payload as AdvicePayload).raised_ms, raised.ts);
  a.configure('rig0', { scorer: {}, autotune: 'off' });
  const cleared = a.observe(batch(5));
  assert.ok(cleared.length > 0 && cleared.every((o) => o.record.payload.state === 'cleared'));
  assert.deepEqual(a.observe(batch(6)), [], 'off: not fed');
});

test('restore() continues the published episode: no second raise for its slot', () => {
  const first = new RigAdvisor((_rig, err) => assert.fail(String(err)));
  first.configure('rig0', null);
  const raised = [0, 1, 2, 3, 4].flatMap((i) => first.observe(batch(i)));
  assert.equal(raised.length, 1);
  const active = raised.map((o) => o.record);
  // A fresh owner that saw none of that history, given the published set.
  const next = new RigAdvisor((_rig, err) => assert.fail(String(err)));
  next.configure('rig0', null);
  next.restore('rig0', active);
  const later = [5, 6, 7, 8, 9].flatMap((i) => next.observe(batch(i)));
  assert.deepEqual(later, [], 'the condition still holds: nothing new to say');
  // Without restore the same history would raise the episodes again under new ids.
  const blind = new RigAdvisor((_rig, err) => assert.fail(String(err)));
  blind.configure('rig0', null);
  const again = [5, 6, 7, 8, 9].flatMap((i) => blind.observe(batch(i)));
  assert.ok(again.length > 0);
  // Cleared once the condition ends, under the restored id.
  const ends = [10, 11, 12, 13, 14, 15].flatMap((i) => next.observe(batch(i, 1)));
  const ids = new Set(active.map((r) => r.payload.id));
  assert.ok(
    ends.length > 0 &&
      ends.every((o) => o.record.payload.state === 'cleared' && ids.has(o.record.payload.id)),
  );
});
