// ${ENV:NAME} substitution (escapes, several per string, unset and empty variables) and the
// `{ env: NAME }` reference check.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEnvRefs, isEnvRef, readEnv, substituteEnv } from './env.ts';

test('substitutes every reference in values, never in keys, and records the template', () => {
  const r = substituteEnv(
    { '${ENV:A}': 'x', url: 'redis://:${ENV:PW}@${ENV:HOST}:6379', list: ['${ENV:A}', 3, null] },
    { A: 'a', PW: 'p@ss', HOST: 'h' },
  );
  assert.deepEqual(r.data, { '${ENV:A}': 'x', url: 'redis://:p@ss@h:6379', list: ['a', 3, null] });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.uses, [
    { path: ['url'], template: 'redis://:${ENV:PW}@${ENV:HOST}:6379', names: ['PW', 'HOST'] },
    { path: ['list', 0], template: '${ENV:A}', names: ['A'] },
  ]);
});

test('$${ENV:X} is the literal text ${ENV:X}; text without references is untouched', () => {
  const r = substituteEnv({ a: 'cost $${ENV:X}', b: '$5 {ENV} ${HOME}' }, {});
  assert.deepEqual(r.data, { a: 'cost ${ENV:X}', b: '$5 {ENV} ${HOME}' });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.uses, []);
});

test('unset, empty and malformed references are problems at their path', () => {
  const r = substituteEnv(
    { a: { b: '${ENV:NOPE}' }, c: '${ENV:EMPTY}', d: '${ENV:a-b}', e: '${ENV:X' },
    { EMPTY: '' },
  );
  assert.deepEqual(
    r.problems.map((p) => [p.path.join('.'), p.message]),
    [
      ['a.b', 'environment variable NOPE is not set (referenced as ${ENV:NOPE})'],
      ['c', 'environment variable EMPTY is not set (referenced as ${ENV:EMPTY})'],
      ['d', 'bad environment reference ${ENV:a-b}: expected ${ENV:NAME}, NAME of letters, digits and _'],
      ['e', 'unterminated ${ENV:NAME} reference: expected a closing }'],
    ],
  );
});

test('readEnv and { env } references', () => {
  assert.deepEqual(readEnv('A', { A: '1' }), { value: '1' });
  assert.deepEqual(readEnv('A', {}), { problem: 'environment variable A is not set' });
  assert.ok(isEnvRef({ env: 'X' }));
  assert.ok(
    !isEnvRef({ env: 'X', other: 1 }) && !isEnvRef({ env: 3 }) && !isEnvRef(['env']) && !isEnvRef(null),
  );
  const problems = checkEnvRefs({ token: { env: 'T' }, headers: { k: { env: 'H' }, j: 'plain' } }, ['s'], {
    H: 'h',
  });
  assert.deepEqual(problems, [{ path: ['s', 'token', 'env'], message: 'environment variable T is not set' }]);
});
