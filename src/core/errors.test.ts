import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES, isRigtuneError, RigtuneError } from './errors.ts';

test('describe() names file, line, column and field', () => {
  const err = new RigtuneError('RT_INPUT_PARSE', 'expected a number, got "abc"', {
    file: 'a.csv',
    line: 3,
    column: 2,
    field: 'power_w',
  });
  assert.equal(err.describe(), 'a.csv:3:2: field \'power_w\': expected a number, got "abc" [RT_INPUT_PARSE]');
  assert.ok(isRigtuneError(err, 'RT_INPUT_PARSE'));
  assert.ok(!isRigtuneError(err, 'RT_INPUT_TIME'));
});

test('every error code is documented in docs/errors.md and vice versa', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Set([...doc.matchAll(/`(RT_[A-Z_]+)`/g)].map((m) => m[1]));
  const declared = new Set(Object.keys(ERROR_CODES));
  assert.deepEqual(
    [...declared].filter((c) => !documented.has(c)),
    [],
    'declared but not documented',
  );
  assert.deepEqual(
    [...documented].filter((c) => !declared.has(c)),
    [],
    'documented but not declared',
  );
});
