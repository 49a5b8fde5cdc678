// The per-device phase machine on a hand-moved clock: phases advance after their full length, a resumed
// device moves on from a phase already past its end, only the next phase may be entered.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { duePhase, endEarly, enterPhase, nominalSchedule, phaseEndMs, startState } from './phases.ts';

const D = { A1: 60_000, B: 120_000, A2: 60_000 };
const T0 = 1_700_000_000_000;

test('phases advance A1 → B → A2 → end, each timed from its own start', () => {
  let s = startState(T0);
  assert.equal(duePhase(s, T0 + 59_999, D), null);
  assert.equal(duePhase(s, T0 + 60_000, D), 'B');
  // B began late (a guard held it 5 s): its end counts from its actual start.
  s = enterPhase(s, 'B', T0 + 65_000);
  assert.equal(phaseEndMs(s, D), T0 + 185_000);
  assert.equal(duePhase(s, T0 + 184_999, D), null);
  s = enterPhase(s, 'A2', T0 + 185_000);
  assert.equal(duePhase(s, T0 + 245_000, D), 'end');
  s = enterPhase(s, 'end', T0 + 245_000);
  assert.equal(duePhase(s, T0 + 10 ** 9, D), null);
  assert.deepEqual(s.startedMs, { A1: T0, B: T0 + 65_000, A2: T0 + 185_000, end: T0 + 245_000 });
});

test('a resumed device in a phase long past its end moves on one phase at a time', () => {
  // Recorded in B, service down for an hour: B is due to end, A2 then runs its full length from now.
  const s = enterPhase(startState(T0), 'B', T0 + 60_000);
  const now = T0 + 3_600_000;
  assert.equal(duePhase(s, now, D), 'A2');
  const a2 = enterPhase(s, 'A2', now);
  assert.equal(duePhase(a2, now + 59_000, D), null);
  assert.equal(duePhase(a2, now + 60_000, D), 'end');
});

test('only the next phase may be entered; an abort ends any phase once', () => {
  const s = startState(T0);
  assert.throws(() => enterPhase(s, 'A2', T0), { code: 'RT_STUDY_STATE' });
  assert.throws(() => enterPhase(s, 'A1', T0), { code: 'RT_STUDY_STATE' });
  const e = endEarly(s, T0 + 5);
  assert.equal(e.phase, 'end');
  assert.equal(endEarly(e, T0 + 9), e);
  assert.deepEqual(nominalSchedule(T0, D), { A1: T0, B: T0 + 60_000, A2: T0 + 180_000, end: T0 + 240_000 });
});

test('whatever the delays, phase starts never decrease and each phase lasts at least its length', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 3, maxLength: 3 }), (delays) => {
      let s = startState(T0);
      let now = T0;
      for (const delay of delays) {
        const end = phaseEndMs(s, D) as number;
        now = end + delay;
        const due = duePhase(s, now, D);
        assert.ok(due !== null);
        s = enterPhase(s, due, now);
      }
      const t = s.startedMs;
      assert.equal(s.phase, 'end');
      assert.ok((t.B as number) - (t.A1 as number) >= D.A1);
      assert.ok((t.A2 as number) - (t.B as number) >= D.B);
      assert.ok((t.end as number) - (t.A2 as number) >= D.A2);
    }),
  );
});
