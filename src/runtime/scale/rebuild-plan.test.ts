import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyRange, SeqGuard } from './rebuild-plan.ts';

test('history ends before the first claimed entry, or at the last delivered one', () => {
  assert.deepEqual(historyRange('5000-3', '5000-9', 1000), { start: '4000-0', end: '(5000-3' });
  assert.deepEqual(historyRange(null, '5000-9', 1000), { start: '4000-0', end: '5000-9' });
  assert.deepEqual(historyRange(null, '500-0', 1000), { start: '0-0', end: '500-0' });
  assert.equal(historyRange(null, '0-0', 1000), null);
});

test('the guard admits each collector entry of a rig once', () => {
  const g = new SeqGuard();
  assert.equal(g.admit('r', 'a', 10), true);
  assert.equal(g.admit('r', 'a', 10), false, 'a resend');
  assert.equal(g.admit('r', 'a', 9), false, 'stale');
  assert.equal(g.admit('r', 'a', 11), true);
  assert.equal(g.admit('r', 'b', 1), true, 'the rig moved to another collector');
  assert.equal(g.admit('q', 'a', 1), true, 'another rig');
  g.forget('r');
  assert.equal(g.admit('r', 'b', 1), true);
});
