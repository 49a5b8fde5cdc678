import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import {
  parseIntParam,
  parseListParam,
  parseNameParam,
  parseTimeParam,
  rejectUnknownParams,
  singleParam,
} from './params.ts';

function throwsParam(fn: () => unknown, param: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isRigtuneError(err, 'RT_API_PARAM'), String(err));
    assert.equal(err.where.field, param);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

test('times: epoch ms and ISO 8601, offsets honoured, no offset read as UTC', () => {
  assert.equal(parseTimeParam('from', '0'), 0);
  assert.equal(parseTimeParam('from', '1714564800000'), 1714564800000);
  assert.equal(parseTimeParam('from', '2024-05-01'), Date.UTC(2024, 4, 1));
  assert.equal(parseTimeParam('from', '2024-05-01T12:00'), Date.UTC(2024, 4, 1, 12));
  assert.equal(parseTimeParam('from', '2024-05-01T12:00:30Z'), Date.UTC(2024, 4, 1, 12, 0, 30));
  assert.equal(parseTimeParam('from', '2024-05-01T12:00:30.25Z'), Date.UTC(2024, 4, 1, 12, 0, 30, 250));
  assert.equal(parseTimeParam('from', '2024-05-01T14:00:00+02:00'), Date.UTC(2024, 4, 1, 12));
  assert.equal(parseTimeParam('from', ' 2024-05-01T12:00:00Z '), Date.UTC(2024, 4, 1, 12));
});

test('times: anything else is RT_API_PARAM naming the parameter', () => {
  for (const bad of [
    '',
    'yesterday',
    '-5',
    '1.5',
    '2024-02-31',
    '2024-13-01',
    '2024-05-01T25:00Z',
    'May 1 2024',
  ]) {
    throwsParam(() => parseTimeParam('to', bad), 'to', /to must be epoch milliseconds or an ISO 8601 time/);
  }
  throwsParam(() => parseTimeParam('from', '9999999999999999'), 'from');
});

test('times: any representable instant round-trips through its ISO form and its epoch ms', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
      assert.equal(parseTimeParam('t', new Date(ms).toISOString()), ms);
      assert.equal(parseTimeParam('t', String(ms)), ms);
    }),
  );
});

test('times: arbitrary text either parses or fails with RT_API_PARAM, nothing else', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        assert.ok(Number.isFinite(parseTimeParam('from', text)));
      } catch (err) {
        assert.ok(isRigtuneError(err, 'RT_API_PARAM'), String(err));
      }
    }),
  );
});

test('integers: range, default, garbage', () => {
  assert.equal(parseIntParam('limit', undefined, 1, 100, 10), 10);
  assert.equal(parseIntParam('limit', '1', 1, 100, 10), 1);
  assert.equal(parseIntParam('limit', '100', 1, 100, 10), 100);
  for (const bad of ['0', '101', '-1', '1.5', 'ten', '', '1e3', '0x10']) {
    throwsParam(
      () => parseIntParam('limit', bad, 1, 100, 10),
      'limit',
      /limit must be an integer from 1 to 100/,
    );
  }
});

test('lists: trimmed, deduplicated, checked against the known names', () => {
  assert.equal(parseListParam('fields', undefined, ['a']), null);
  assert.deepEqual(parseListParam('fields', ' b, a ,b', ['a', 'b']), ['b', 'a']);
  assert.deepEqual(parseListParam('rig', 'x,y', null), ['x', 'y']);
  throwsParam(
    () => parseListParam('fields', 'a,zz', ['a', 'b']),
    'fields',
    /unknown fields entry 'zz'; known: a, b/,
  );
  throwsParam(() => parseListParam('fields', '', ['a']), 'fields', /without empty entries/);
  throwsParam(() => parseListParam('fields', 'a,,b', ['a', 'b']), 'fields');
});

test('unknown and repeated parameters are refused by name', () => {
  rejectUnknownParams({ from: '1' }, ['from', 'to']);
  throwsParam(() => rejectUnknownParams({ form: '1' }, ['from', 'to']), 'form', /known parameters: from, to/);
  throwsParam(() => rejectUnknownParams({ x: '1' }, []), 'x', /^unknown parameter 'x'$/);
  assert.equal(singleParam({ a: '1' }, 'a'), '1');
  assert.equal(singleParam({}, 'a'), undefined);
  throwsParam(() => singleParam({ a: ['1', '2'] }, 'a'), 'a', /given 2 times/);
});

test('names: non-empty', () => {
  assert.equal(parseNameParam('device', undefined), undefined);
  assert.equal(parseNameParam('device', 'gpu0'), 'gpu0');
  throwsParam(() => parseNameParam('device', ' '), 'device');
});
