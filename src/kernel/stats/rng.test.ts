// Tests of the seeded stream: reproducible, named streams independent, values in range and uniform.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRng } from './index.ts';

test('same seed and stream give the same numbers; other streams differ', () => {
  const a = seededRng(7, 'dev/metric');
  const b = seededRng(7, 'dev/metric');
  const c = seededRng(7, 'other');
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.next()),
  );
});

test('uniform in [0, 1) and int(n) in [0, n) with even counts', () => {
  const rng = seededRng(1);
  const counts = new Array<number>(10).fill(0);
  let sum = 0;
  for (let i = 0; i < 20_000; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    counts[rng.int(10)]++;
  }
  assert.ok(Math.abs(sum / 20_000 - 0.5) < 0.01);
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 200, `bucket ${c}`);
});
