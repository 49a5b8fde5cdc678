// Tests of the flush tracker: a flush waits for what was accepted before it, not for later items.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlushTracker } from './flush-tracker.ts';

test('a flush resolves once the items accepted before it settle, in any settle pattern', async () => {
  const t = new FlushTracker();
  await t.wait();
  const a = t.accept();
  const b = t.accept();
  const order: string[] = [];
  const first = t.wait().then(() => order.push('first'));
  const c = t.accept();
  const second = t.wait().then(() => order.push('second'));
  t.settle(a);
  await Promise.resolve();
  assert.deepEqual(order, []);
  t.settle(b);
  await first;
  t.settle(b);
  assert.deepEqual(order, ['first']);
  t.settle(c - 1);
  t.settleAll();
  await second;
  assert.deepEqual(order, ['first', 'second']);
});
