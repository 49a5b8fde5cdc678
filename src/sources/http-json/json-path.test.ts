// The JSON-path subset: accepted spellings, precise errors with offsets, reads that never throw (a
// property test over arbitrary paths and documents), and one [*] per path.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type JsonPath, parseJsonPath, readJsonPath } from './json-path.ts';

function path(text: string): JsonPath {
  const r = parseJsonPath(text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.message}`);
  return r.path;
}

test('spellings: $ or bare start, dot keys, indexes, quoted keys, one wildcard', () => {
  assert.deepEqual(path('$.result.workers[*].hashrate').steps, [
    { kind: 'key', key: 'result' },
    { kind: 'key', key: 'workers' },
    { kind: 'wildcard' },
    { kind: 'key', key: 'hashrate' },
  ]);
  assert.deepEqual(path('a.b[0].c').steps, [
    { kind: 'key', key: 'a' },
    { kind: 'key', key: 'b' },
    { kind: 'index', index: 0 },
    { kind: 'key', key: 'c' },
  ]);
  assert.deepEqual(path('$["Fan Speed (%)"]').steps, [{ kind: 'key', key: 'Fan Speed (%)' }]);
  assert.deepEqual(path("$.GPUs[0]['Temp (deg C)']").steps.at(-1), { kind: 'key', key: 'Temp (deg C)' });
  assert.deepEqual(path('$["say \\"hi\\""]').steps, [{ kind: 'key', key: 'say "hi"' }]);
  assert.deepEqual(path('[2].x').steps, [
    { kind: 'index', index: 2 },
    { kind: 'key', key: 'x' },
  ]);
  assert.equal(path('$.tls-fingerprint').steps[0].kind, 'key');
  assert.equal(path('$.a[*].b').wildcardAt, 1);
  assert.equal(path('$.a.b').wildcardAt, -1);
});

test('errors say what and where', () => {
  const cases: [string, RegExp, number][] = [
    ['', /empty/, 0],
    [' $.a', /spaces/, 0],
    ['$', /whole document/, 0],
    ['$.', /key after '.'/, 2],
    ['$.a[', /non-negative index/, 4],
    ['$.a[-1]', /non-negative index/, 4],
    ['$.a[x]', /non-negative index/, 4],
    ['$.a[*', /expected '\]'/, 5],
    ['$["a]', /unterminated/, 2],
    ['$["a"x', /after a quoted key/, 5],
    ['$a', /unexpected 'a'/, 1],
    ['$.a[*].b[*]', /at most one \[\*\]/, 8],
    ['.a', /unexpected '\.'/, 0],
  ];
  for (const [text, message, offset] of cases) {
    const r = parseJsonPath(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) {
      assert.match(r.message, message, text);
      assert.equal(r.offset, offset, text);
    }
  }
});

test('reads: values, missing prefixes, per-element misses', () => {
  const doc = { result: { workers: [{ h: 1, n: 'a' }, { n: 'b' }, { h: '3' }], total: null }, list: 5 };
  assert.deepEqual(readJsonPath(path('$.result.workers[*].h'), doc), {
    values: [1, undefined, '3'],
    missingAt: null,
  });
  assert.deepEqual(readJsonPath(path('$.result.total'), doc), { values: [null], missingAt: null });
  assert.deepEqual(readJsonPath(path('$.result.nope.x'), doc), {
    values: [undefined],
    missingAt: '$.result.nope',
  });
  assert.deepEqual(readJsonPath(path('$.result.workers[9]'), doc), {
    values: [undefined],
    missingAt: '$.result.workers[9]',
  });
  assert.deepEqual(readJsonPath(path('$.missing[*].h'), doc), { values: [], missingAt: '$.missing' });
  assert.deepEqual(readJsonPath(path('$.list[*].h'), doc), {
    values: [],
    missingAt: '$.list (not an array)',
  });
  assert.deepEqual(readJsonPath(path('$["a b"][0]'), { 'a b': [7] }).values, [7]);
  assert.deepEqual(readJsonPath(path('$["a b"].c'), {}).missingAt, '$["a b"]');
  // Inherited properties are not data.
  assert.deepEqual(readJsonPath(path('$.constructor'), {}).values, [undefined]);
});

test('parsing and reading never throw (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 4 }), (text, doc) => {
      const r = parseJsonPath(text);
      if (r.ok) {
        const read = readJsonPath(r.path, doc);
        assert.ok(Array.isArray(read.values));
      } else assert.ok(r.offset >= 0 && r.offset <= text.length);
    }),
    { seed: 20261126 },
  );
});
