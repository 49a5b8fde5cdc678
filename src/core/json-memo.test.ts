// jsonOf equals JSON.stringify for any JSON-like object and encodes each object once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonOf, takeJson } from './json-memo.ts';

test('jsonOf equals JSON.stringify (non-finite numbers as null, key order kept)', () => {
  fc.assert(
    fc.property(fc.object({ values: [fc.double(), fc.string(), fc.boolean(), fc.constant(null)] }), (o) => {
      assert.equal(jsonOf(o), JSON.stringify(o));
    }),
    { seed: 3, numRuns: 300 },
  );
});

test('jsonOf encodes an object once: the same text is returned after the object is read again', () => {
  let reads = 0;
  const o = {
    get v() {
      reads += 1;
      return 1;
    },
  };
  assert.equal(jsonOf(o), '{"v":1}');
  assert.equal(jsonOf(o), '{"v":1}');
  assert.equal(reads, 1);
});

test('takeJson returns the cached text and forgets it: the next read encodes the object again', () => {
  let reads = 0;
  const o = {
    get v() {
      reads += 1;
      return reads;
    },
  };
  assert.equal(jsonOf(o), '{"v":1}');
  assert.equal(takeJson(o), '{"v":1}');
  assert.equal(reads, 1);
  assert.equal(jsonOf(o), '{"v":2}');
  assert.equal(takeJson(o), '{"v":2}');
  assert.equal(takeJson(o), '{"v":3}', 'nothing cached: encoded, not cached either');
  assert.equal(jsonOf(o), '{"v":4}');
  assert.deepEqual(
    [{ a: [1, null] }, { b: 'x' }].map((x) => takeJson(x)),
    [JSON.stringify({ a: [1, null] }), JSON.stringify({ b: 'x' })],
  );
});
