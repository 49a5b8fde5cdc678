// Tests of the in-memory item queue: FIFO order across take/unshift and compaction, and its byte count.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ItemQueue, type Queued } from './queue.ts';

const q = (seq: number, bytes = 10): Queued => ({ item: { keys: [], argv: [], bytes }, seq });

test('take and unshift keep the order; bytes follow the content', () => {
  const queue = new ItemQueue();
  for (let i = 1; i <= 3000; i++) queue.push(q(i, i));
  const first = queue.take(2000);
  assert.deepEqual(
    first.slice(0, 3).map((x) => x.seq),
    [1, 2, 3],
  );
  assert.equal(queue.length, 1000);
  queue.unshift(first.slice(1990));
  assert.equal(queue.length, 1010);
  assert.equal(queue.bytes, (1991 + 3000) * 505);
  const rest = queue.takeAll().map((x) => x.seq);
  assert.deepEqual(
    rest,
    Array.from({ length: 1010 }, (_, i) => 1991 + i),
  );
  assert.equal(queue.bytes, 0);
  assert.deepEqual(queue.take(5), []);
});
