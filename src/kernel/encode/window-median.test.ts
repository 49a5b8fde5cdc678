// WindowMedian against sorting each window: ties, gaps, window sizes 1…40, 8/16/32-bit indices, groups.
// Ties matter: deleting a tied value from the wrong heap is the classic sliding-median bug.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { WindowMedian } from './window-median.ts';

function bruteMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m] + s[m - 1]) / 2;
}

test('median of an empty window is NaN, of one value the value, of two their mean', () => {
  const med = new WindowMedian(4);
  assert.ok(Number.isNaN(med.median()));
  med.insert(0, 3);
  assert.equal(med.median(), 3);
  med.insert(1, 8);
  assert.equal(med.median(), 5.5);
  med.remove(0);
  assert.equal(med.median(), 8);
  med.remove(0); // already empty slot: no-op
  assert.equal(med.size, 1);
  med.clear();
  assert.ok(Number.isNaN(med.median()));
});

test('removing one of several tied values keeps the multiset exact', () => {
  const med = new WindowMedian(5);
  [1, 5, 5, 5, 9].forEach((v, slot) => {
    med.insert(slot, v);
  });
  med.remove(3);
  assert.equal(med.median(), 5); // {1,5,5,9}
  med.remove(1);
  assert.equal(med.median(), 5); // {1,5,9}
  med.remove(2);
  assert.equal(med.median(), 5); // {1,9}
});

/** Slides a window of w over xs with `step` (which updates slot i % w for sample i) against sorting. */
function slidesLikeSorting(step: (med: WindowMedian, i: number, x: number | null, w: number) => void): void {
  const sample = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(sample, { maxLength: 300, size: 'max' }),
      (w, xs) => {
        const med = new WindowMedian(w);
        for (let i = 0; i < xs.length; i++) {
          step(med, i, xs[i], w);
          const window = xs.slice(Math.max(0, i - w + 1), i + 1).filter((v): v is number => v !== null);
          const expected = bruteMedian(window);
          const got = med.median();
          if (!Object.is(got, expected) && !(got === 0 && expected === 0)) return false;
          if (med.size !== window.length) return false;
        }
        return true;
      },
    ),
    { seed: 20240611, numRuns: 300 },
  );
}

test('sliding median equals sorting the window (ties, gaps, every window size)', () => {
  slidesLikeSorting((med, i, x, w) => {
    if (i >= w) med.remove(i % w);
    if (x !== null) med.insert(i % w, x);
  });
});

test('replace(slot, x) equals remove + insert: sliding with replace matches sorting each window', () => {
  slidesLikeSorting((med, i, x, w) => {
    if (x === null) med.remove(i % w);
    else med.replace(i % w, x);
  });
});

test('members of a group are independent and each equals a separate instance (signed zeros too)', () => {
  const op = fc.record({
    member: fc.integer({ min: 0, max: 2 }),
    slot: fc.integer({ min: 0, max: 6 }),
    value: fc.oneof(
      fc.constant(null),
      fc.constantFrom(0, -0, 1, -1),
      fc.double({ min: -5, max: 5, noNaN: true }),
    ),
    clear: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300, size: 'max' }), (ops) => {
      const group = WindowMedian.group(7, 3);
      const alone = [0, 1, 2].map(() => new WindowMedian(7));
      for (const { member, slot, value, clear } of ops) {
        for (const med of [group[member], alone[member]]) {
          if (clear && slot === 0) med.clear();
          else if (value === null) med.remove(slot);
          else med.replace(slot, value);
        }
        for (let m = 0; m < 3; m++) {
          if (!Object.is(group[m].median(), alone[m].median()) || group[m].size !== alone[m].size)
            return false;
        }
      }
      return true;
    }),
    { seed: 20240612, numRuns: 200 },
  );
});

test('16- and 32-bit indices (large windows and groups) slide like sorting', () => {
  let s = 11;
  const rand = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  for (const [w, medians] of [
    [300, [new WindowMedian(300)]],
    [130, WindowMedian.group(130, 2)],
    [40_000, WindowMedian.group(40_000, 2)],
  ] as const) {
    const xs = Array.from({ length: 2 * Math.min(w, 400) + 50 }, () =>
      rand() < 0.1 ? null : Math.round(rand() * 40),
    );
    const med = medians[medians.length - 1];
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x === null) med.remove(i % w);
      else med.replace(i % w, x);
      const window = xs.slice(Math.max(0, i - w + 1), i + 1).filter((v): v is number => v !== null);
      assert.ok(Object.is(med.median(), bruteMedian(window)), `w ${w} sample ${i}`);
    }
    if (medians.length > 1) assert.ok(Number.isNaN(medians[0].median()), 'the other member stays empty');
  }
});

test('a storage without the requested member is RT_KERNEL_ARGUMENT', () => {
  const storage = { values: new Float64Array(10), index: new Uint8Array(20), member: 2 };
  assert.throws(
    () => new WindowMedian(5, storage),
    (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
  );
});

test('medians grouped into an owner buffer at an index offset match separate ones', () => {
  let r = 3;
  const u = () => {
    r = (r * 16807) % 2147483647;
    return r / 2147483647;
  };
  for (const [capacity, count] of [
    [1, 3],
    [7, 2],
    [61, 2],
    [64, 4],
  ]) {
    const values = new Float64Array(capacity * count + 3).fill(5);
    const index = new Uint8Array(13 + 2 * capacity * count + 6).fill(9);
    const grouped = WindowMedian.group(capacity, count, { values, index, indexBase: 13 });
    const alone = Array.from({ length: count }, () => new WindowMedian(capacity));
    for (let i = 0; i < 500; i += 1) {
      const m = i % count;
      const slot = Math.floor(i / count) % capacity;
      const v = u();
      const x = v < 0.1 ? null : Math.round(v * 6);
      for (const med of [grouped[m], alone[m]]) {
        if (x === null) med.remove(slot);
        else med.replace(slot, x);
      }
      assert.ok(Object.is(grouped[m].median(), alone[m].median()), `c ${capacity} sample ${i}`);
    }
    grouped[0].clear();
    assert.ok(Number.isNaN(grouped[0].median()));
    assert.ok(
      values.subarray(capacity * count).every((x) => x === 5),
      'doubles past the group untouched',
    );
    assert.ok(
      index.subarray(0, 13).every((x) => x === 9),
      'bytes before indexBase untouched',
    );
    assert.ok(
      index.subarray(13 + 2 * capacity * count).every((x) => x === 9),
      'bytes after untouched',
    );
  }
  const isArgument = (err: unknown) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT');
  const tooMany = { values: new Float64Array(300), index: new Uint8Array(600), indexBase: 0 };
  assert.throws(() => WindowMedian.group(150, 2, tooMany), isArgument);
  const short = { values: new Float64Array(10), index: new Uint8Array(19), indexBase: 0 };
  assert.throws(() => WindowMedian.group(5, 2, short), isArgument);
});
