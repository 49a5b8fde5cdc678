// Tests of numeric cell parsing: numbers, hex bitmasks, missing-value tokens and rejects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt, parseNumericText } from './values.ts';

test('numbers in decimal, exponent and hex notation', () => {
  assert.equal(parseNumericText('12'), 12);
  assert.equal(parseNumericText(' -1.5 '), -1.5);
  assert.equal(parseNumericText('.5'), 0.5);
  assert.equal(parseNumericText('5.'), 5);
  assert.equal(parseNumericText('1.2e3'), 1200);
  assert.equal(parseNumericText('0x0000000000000004'), 4);
});

test('empty cells and missing-value tokens are null', () => {
  for (const t of [
    '',
    '  ',
    'NaN',
    'nan',
    '-nan',
    '[N/A]',
    '[Not Supported]',
    'N/A',
    'null',
    'None',
    'inf',
    '-Infinity',
  ]) {
    assert.equal(parseNumericText(t), null, t);
  }
  assert.equal(parseNumericText('1e999'), null);
});

test('other text is not a number', () => {
  for (const t of ['abc', '1,5', '12W', '--1', '0x', 'true', '1e', '١٢']) {
    assert.equal(parseNumericText(t), undefined, t);
  }
});

test('excerpts are quoted and cut', () => {
  assert.equal(excerpt('abc'), '"abc"');
  assert.equal(excerpt('x'.repeat(50), 10), `"${'x'.repeat(10)}…"`);
});
