import assert from 'node:assert/strict';
import { test } from 'node:test';
import { log2f, parseHexFloat } from './log2f.ts';

test('parseHexFloat reads C99 hex literals exactly', () => {
  assert.equal(parseHexFloat('0x1p+0'), 1);
  assert.equal(parseHexFloat('-0x1.8p-1'), -0.75);
  assert.equal(parseHexFloat('0x1.715475f35c8b8p0'), 1.4426950186867042); // Python float.fromhex
  assert.equal(parseHexFloat('-0x1.efec65b963019p-2'), -0.48430022186289673);
  assert.equal(parseHexFloat('0x0p+0'), 0);
  assert.throws(() => parseHexFloat('1.5'), SyntaxError);
});

test('log2f reproduces glibc where it is not correctly rounded (sep-reference §2.10)', () => {
  const x = Math.fround(2 / 3);
  assert.equal(log2f(x), -0.5849624276161194); // glibc: −0.584962428
  assert.equal(Math.fround(Math.log2(x)), -0.5849624872207642); // the correctly rounded value differs
});

test('log2f is exact on powers of two and handles the special inputs', () => {
  for (let k = -149; k <= 127; k++) assert.equal(log2f(2 ** k), k, `2^${k}`);
  assert.equal(log2f(1), 0);
  assert.equal(log2f(0), Number.NEGATIVE_INFINITY);
  assert.equal(log2f(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(log2f(-1)));
  assert.ok(Number.isNaN(log2f(Number.NaN)));
});

test('log2f stays within one float32 ulp of the true log2 on every ratio c/E with E ≤ 600', () => {
  for (let e = 1; e <= 600; e++) {
    for (let c = 1; c <= e; c++) {
      const x = Math.fround(c / e);
      const got = log2f(x);
      assert.equal(got, Math.fround(got));
      const exact = Math.log2(x);
      const ulp = exact === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
      assert.ok(Math.abs(got - exact) <= ulp, `log2f(${c}/${e}) = ${got}, log2 = ${exact}`);
    }
  }
});
