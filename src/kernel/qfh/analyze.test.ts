import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { analyzeWindow, packBits } from './analyze.ts';
import { traceWindow } from './reference.ts';

const bitsOf = (s: string) => [...s].map(Number);

test('worked examples of sep-reference §2.12', () => {
  const zeros = analyzeWindow(bitsOf('0'.repeat(32)));
  assert.equal(zeros.coherence, Math.fround(0.679));
  assert.equal(zeros.entropy, Math.fround(0.05));
  assert.deepEqual([zeros.sig_c, zeros.sig_s, zeros.sig_e], [679, 1000, 50]);
  const ones = analyzeWindow(bitsOf('1'.repeat(32)));
  assert.ok(Math.abs(ones.coherence - 0.59683347) < 1e-8);
  assert.equal(ones.collapse, true);
  assert.equal(ones.rupture_count, 31);
  assert.ok(Math.abs(analyzeWindow(bitsOf('01'.repeat(16))).coherence - 0.90786785) < 1e-8);
});

test('edge cases of sep-reference §2.11: no events, one event', () => {
  for (const bits of [[], [1], [0]]) {
    const m = analyzeWindow(bits);
    assert.equal(m.n, bits.length);
    assert.deepEqual([m.coherence, m.entropy, m.rupture, m.stability], [0, 0, 0, 1]);
    assert.deepEqual([m.sig_c, m.sig_s, m.sig_e], [0, 1000, 0]);
  }
  const p01 = analyzeWindow([0, 1]);
  assert.deepEqual([p01.sig_c, p01.sig_s, p01.sig_e, p01.flip_ratio], [870, 1000, 50, 1]);
  const p11 = analyzeWindow([1, 1]);
  assert.deepEqual([p11.sig_c, p11.sig_s, p11.sig_e, p11.collapse], [670, 0, 50, true]);
});

test('stability is f32(1 − R) and lambda_hazard is R; keys come in the documented order', () => {
  const m = analyzeWindow(bitsOf('0110100110'));
  assert.equal(m.stability, Math.fround(1 - m.rupture));
  assert.equal(m.lambda_hazard, m.rupture);
  assert.deepEqual(Object.keys(m), [
    'n',
    'coherence',
    'stability',
    'entropy',
    'rupture',
    'flip_ratio',
    'lambda_hazard',
    'collapse',
    'null_count',
    'flip_count',
    'rupture_count',
    'sig_c',
    'sig_s',
    'sig_e',
  ]);
});

test('the first-bit anchoring makes coherence asymmetric under complement (sep-reference §0.4)', () => {
  const up = analyzeWindow(bitsOf('0'.repeat(16) + '1'.repeat(16)));
  const down = analyzeWindow(bitsOf('1'.repeat(16) + '0'.repeat(16)));
  assert.equal(up.entropy, down.entropy);
  assert.ok(up.coherence > down.coherence + 0.1);
});

test('a value other than 0 or 1 throws RT_KERNEL_BITS with its index, never garbage', () => {
  for (const [bits, offset] of [
    [[0, 1, 2], 2],
    [[-1], 0],
    [[0, 0.5, 1], 1],
    [[1, Number.NaN], 1],
    [['1' as unknown as number], 0],
    [new Array(40).fill(0).concat([7]), 40],
  ] as const) {
    assert.throws(
      () => analyzeWindow(bits),
      (err: unknown) => isRigtuneError(err, 'RT_KERNEL_BITS') && err.where.offset === offset,
    );
  }
});

test('packBits packs MSB first', () => {
  assert.deepEqual([...packBits(bitsOf('1000000101'))], [0x81, 0x40]);
  assert.deepEqual([...packBits([])], []);
});

test('every window of up to 12 bits equals the literal reference exactly', () => {
  for (let n = 0; n <= 12; n++) {
    for (let v = 0; v < 2 ** n; v++) {
      const bits = Array.from({ length: n }, (_, i) => (v >>> (n - 1 - i)) & 1);
      const m = analyzeWindow(bits);
      const r = traceWindow(bits);
      assert.equal(m.coherence, r.coherence, `coherence ${bits.join('')}`);
      assert.equal(m.entropy, r.entropy);
      assert.equal(m.rupture, r.rupture);
      assert.equal(m.flip_ratio, r.flip);
      assert.deepEqual(
        [m.null_count, m.flip_count, m.rupture_count, m.collapse],
        [r.nullCount, r.flipCount, r.ruptureCount, r.collapse],
      );
    }
  }
});

test('property: metrics stay in range and counts add up to n − 1', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 300 }), (bits) => {
      const m = analyzeWindow(bits);
      const events = Math.max(0, bits.length - 1);
      assert.equal(m.null_count + m.flip_count + m.rupture_count, events);
      for (const v of [m.coherence, m.stability, m.entropy, m.rupture, m.flip_ratio]) {
        assert.ok(v >= 0 && v <= 1, `${v} out of [0, 1]`);
      }
      if (events > 0) assert.ok(m.entropy >= Math.fround(0.05));
      for (const s of [m.sig_c, m.sig_s, m.sig_e]) assert.ok(Number.isInteger(s) && s >= 0 && s <= 1000);
      assert.equal(m.collapse, m.rupture >= 0.5);
    }),
    { seed: 20260117, numRuns: 300 },
  );
});

test('windows of any length (13..2100 bits, and one past the table limit) match the reference', () => {
  let seed = 99;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const lengths = [...Array.from({ length: 150 }, () => 13 + Math.floor(random() * 2088)), 9001];
  for (const n of lengths) {
    const density = random();
    const bits = Array.from({ length: n }, () => (random() < density ? 1 : 0));
    const m = analyzeWindow(bits);
    const r = traceWindow(bits);
    assert.ok(Math.abs(m.coherence - r.coherence) <= 1e-9, `n=${n}`);
    assert.equal(m.sig_c, Math.round(Math.fround(Math.fround(r.coherence) * 1000)), `n=${n}`);
    assert.deepEqual([m.entropy, m.rupture, m.flip_ratio], [r.entropy, r.rupture, r.flip]);
  }
});
