// Conformance of kernel/qfh with the native sep_quantum build, over every vector of qfh-vectors.json.
// Tolerance 1e-6 on the double fields as the issue states; counts, collapse and signatures exactly.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  analyzePackedBatch,
  analyzeWindow,
  bucket,
  createBatchOutput,
  readBatchWindow,
  traceWindow,
} from '../../src/kernel/qfh/index.ts';

interface BitVector {
  name: string;
  bits: string;
  n_bits: number;
  analyze_window: {
    coherence: number;
    entropy: number;
    rupture_ratio: number;
    flip_ratio: number;
    null_state_count: number;
    flip_count: number;
    rupture_count: number;
    collapse_detected: boolean;
  };
  analyze_bits: {
    coherence: number;
    stability: number;
    entropy: number;
    rupture: number;
    lambda_hazard: number;
    sig_c: number;
    sig_s: number;
    sig_e: number;
  };
  intermediates: {
    stage1_pattern_coherence: number;
    trajectory_applied: boolean;
    traj_lambda: number | null;
    traj_final_value: number | null;
    traj_match_best_cosine: number | null;
  };
}

interface ByteVector {
  bytes_hex: string;
  n_bits: number;
  coherence: number;
  stability: number;
  entropy: number;
  rupture: number;
  lambda_hazard: number;
  sig_c: number;
  sig_s: number;
  sig_e: number;
}

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/qfh-vectors.json', import.meta.url), 'utf8'),
) as {
  vectors: BitVector[];
  analyze_window_batch_vectors: ByteVector[];
  older_variant_comparison: { values: { name: string; sep_trader_coherence: number }[] };
};

const TOLERANCE = 1e-6;
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: ${actual} vs native ${expected}`);

describe('analyzeWindow against native analyze_window / analyze_bits', () => {
  for (const v of VECTORS.vectors) {
    test(v.name, () => {
      const m = analyzeWindow([...v.bits].map(Number));
      const aw = v.analyze_window;
      const ab = v.analyze_bits;
      assert.equal(m.n, v.n_bits);
      close(m.coherence, aw.coherence, 'coherence');
      close(m.entropy, aw.entropy, 'entropy');
      close(m.rupture, aw.rupture_ratio, 'rupture ratio');
      close(m.flip_ratio, aw.flip_ratio, 'flip ratio');
      assert.deepEqual(
        [m.null_count, m.flip_count, m.rupture_count, m.collapse],
        [aw.null_state_count, aw.flip_count, aw.rupture_count, aw.collapse_detected],
      );
      assert.deepEqual([m.sig_c, m.sig_s, m.sig_e], [ab.sig_c, ab.sig_s, ab.sig_e]);
      assert.equal(m.stability, ab.stability);
      assert.equal(m.lambda_hazard, ab.lambda_hazard);
    });
  }
});

test('bit-exact: every double and float32 field equals the native value (glibc log2f port)', () => {
  for (const v of VECTORS.vectors) {
    const m = analyzeWindow([...v.bits].map(Number));
    const aw = v.analyze_window;
    assert.deepEqual(
      [m.coherence, m.entropy, m.rupture, m.flip_ratio],
      [aw.coherence, aw.entropy, aw.rupture_ratio, aw.flip_ratio],
      v.name,
    );
    assert.deepEqual(
      [Math.fround(m.coherence), Math.fround(m.entropy), m.rupture],
      [v.analyze_bits.coherence, v.analyze_bits.entropy, v.analyze_bits.rupture],
      v.name,
    );
  }
});

test('reference intermediates: stage-1 coherence, λ, damped final value, best cosine', () => {
  for (const v of VECTORS.vectors) {
    const t = traceWindow([...v.bits].map(Number));
    const im = v.intermediates;
    assert.equal(t.stage1, im.stage1_pattern_coherence, v.name);
    assert.equal(t.lambda !== null, im.trajectory_applied, v.name);
    if (im.traj_lambda !== null) close(t.lambda ?? Number.NaN, im.traj_lambda, `${v.name} λ`);
    if (im.traj_final_value !== null) close(t.finalValue ?? Number.NaN, im.traj_final_value, `${v.name} V`);
    if (im.traj_match_best_cosine !== null)
      close(t.match ?? Number.NaN, im.traj_match_best_cosine, `${v.name} M`);
  }
});

describe('analyzePackedBatch against native analyze_window_batch', () => {
  for (const v of VECTORS.analyze_window_batch_vectors) {
    test(`${v.n_bits} bits ${v.bytes_hex.slice(0, 16)}…`, () => {
      const bytes = Uint8Array.from(v.bytes_hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
      const out = createBatchOutput(1);
      assert.equal(analyzePackedBatch(bytes, v.n_bits, out), 1);
      const m = readBatchWindow(out, 0, v.n_bits);
      // The batch binding returns float32 Metrics: compare our doubles rounded to float32.
      close(m.coherence, v.coherence, 'coherence');
      close(m.entropy, v.entropy, 'entropy');
      assert.equal(Math.fround(m.coherence), v.coherence);
      assert.equal(Math.fround(m.entropy), v.entropy);
      assert.deepEqual([m.rupture, m.stability, m.lambda_hazard], [v.rupture, v.stability, v.lambda_hazard]);
      assert.deepEqual([m.sig_c, m.sig_s, m.sig_e], [v.sig_c, v.sig_s, v.sig_e]);
      assert.equal(bucket(m.coherence), v.sig_c);
    });
  }
});

test('the batch also reproduces every bit-string vector whose length is a multiple of 8', () => {
  for (const v of VECTORS.vectors.filter((x) => x.n_bits > 0 && x.n_bits % 8 === 0)) {
    const bytes = new Uint8Array(v.n_bits / 8);
    for (let i = 0; i < v.n_bits; i++) if (v.bits[i] === '1') bytes[i >>> 3] |= 0x80 >>> (i & 7);
    const out = createBatchOutput(1);
    analyzePackedBatch(bytes, v.n_bits, out);
    assert.equal(out.coherence[0], v.analyze_window.coherence, v.name);
    assert.deepEqual(
      [out.sigC[0], out.sigS[0], out.sigE[0]],
      [v.analyze_bits.sig_c, v.analyze_bits.sig_s, v.analyze_bits.sig_e],
    );
  }
});

test('we do not compute the older sep-trader coherence variant (sep-reference §2.13)', () => {
  const byName = new Map(VECTORS.vectors.map((v) => [v.name, v]));
  let differing = 0;
  for (const { name, sep_trader_coherence } of VECTORS.older_variant_comparison.values) {
    const v = byName.get(name);
    assert.ok(v, name);
    if (Math.abs(sep_trader_coherence - v.analyze_window.coherence) <= TOLERANCE) continue;
    differing++;
    const m = analyzeWindow([...v.bits].map(Number));
    assert.ok(Math.abs(m.coherence - sep_trader_coherence) > TOLERANCE, name);
  }
  assert.ok(differing >= 18, `only ${differing} vectors tell the variants apart`);
});
