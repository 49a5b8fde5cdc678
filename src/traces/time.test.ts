// Tests of the time-column rules: epoch seconds vs milliseconds by magnitude, and ISO 8601 with
// and without a zone (no zone = UTC).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochMsFromNumber, parseIsoTime, parseTimeText } from './time.ts';

test('numbers below 1e11 are epoch seconds, others epoch milliseconds', () => {
  assert.equal(parseTimeText('1700000000'), 1_700_000_000_000);
  assert.equal(parseTimeText('1700000000.25'), 1_700_000_000_250);
  assert.equal(parseTimeText('1700000000123'), 1_700_000_000_123);
  assert.equal(parseTimeText(' 99999999999 '), 99_999_999_999_000);
  assert.equal(parseTimeText('100000000000'), 100_000_000_000);
  assert.equal(epochMsFromNumber(0), 0);
  assert.equal(epochMsFromNumber(Number.NaN), undefined);
  assert.equal(epochMsFromNumber(Number.POSITIVE_INFINITY), undefined);
});

test('ISO 8601 with Z, offsets, no zone (UTC), fractions and a space separator', () => {
  const base = Date.UTC(2024, 0, 1, 0, 0, 0);
  assert.equal(parseIsoTime('2024-01-01T00:00:00Z'), base);
  assert.equal(parseIsoTime('2024-01-01T00:00:00'), base);
  assert.equal(parseIsoTime('2024-01-01 00:00:00'), base);
  assert.equal(parseIsoTime('2024-01-01'), base);
  assert.equal(parseIsoTime('2024-01-01T00:00'), base);
  assert.equal(parseIsoTime('2024-01-01T01:00:00+01:00'), base);
  assert.equal(parseIsoTime('2023-12-31T19:00:00-0500'), base);
  assert.equal(parseIsoTime('2024-01-01T02:00:00+02'), base);
  assert.equal(parseIsoTime('2024-01-01T00:00:00.5Z'), base + 500);
  assert.equal(parseIsoTime('2024-01-01T00:00:00,123456Z'), base + 123.456);
  assert.equal(parseIsoTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
});

test('invalid ISO text and out-of-range fields are not times', () => {
  for (const bad of [
    '',
    'yesterday',
    '2024-13-01T00:00:00Z',
    '2023-02-29',
    '2024-01-01T24:00:00',
    '2024-01-01T00:60:00',
    '2024-01-01T00:00:00+25:00',
    '2024/01/01 00:00:00',
    '0999-01-01',
    '1e400',
  ]) {
    assert.equal(parseTimeText(bad), undefined, bad);
  }
});
