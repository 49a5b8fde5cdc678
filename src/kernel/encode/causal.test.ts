// Causal encoder against a brute-force trailing computation (seeded fast-check), plus the documented
// differences from the reference: lag after a level step, first rows, missing samples, options.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { CausalStructEncoder, encodeCausal } from './causal.ts';
import { encodeReference } from './reference.ts';

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m] + s[m - 1]) / 2;
}

function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

const finite = (v: number): boolean => Number.isFinite(v);
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** The causal definitions written out naively: sort each trailing window, two-pass std. */
function bruteForce(xs: readonly (number | null)[], mw: number, sw: number) {
  const x = xs.map((v) => (v === null ? Number.NaN : v));
  const med: number[] = [];
  const dev: number[] = [];
  const devMed: number[] = [];
  const sd: number[] = [];
  for (let i = 0; i < x.length; i++) {
    med.push(median(x.slice(Math.max(0, i - mw + 1), i + 1).filter(finite)));
    dev.push(Math.abs(x[i] - med[i]));
    devMed.push(median(dev.slice(Math.max(0, i - mw + 1), i + 1).filter(finite)));
    sd.push(sampleSd(x.slice(Math.max(0, i - sw + 1), i + 1).filter(finite)));
  }
  const flags = x.map((xi, i) => {
    const dx = (j: number) => x[j] - x[Math.max(j - 1, 0)];
    const ddx = i === 0 ? dx(0) - dx(0) : dx(i) - dx(i - 1);
    const ddev = devMed[i] - devMed[Math.max(i - 1, 0)];
    const z = (xi - med[i]) / (sd[i] + 1e-12);
    return [dx(i) > 0, ddx > 0, ddev > 0, z > 0].map((b) => (b ? 1 : 0)).join('');
  });
  return { med, devMed, sd, flags };
}

const runs = fc.array(
  fc.record({
    value: fc.oneof(
      fc.constant(null),
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    ),
    length: fc.integer({ min: 1, max: 25 }),
    step: fc.constantFrom(0, 0, 0.5, -1),
  }),
  { maxLength: 30, size: 'max' },
);

function flatten(spec: { value: number | null; length: number; step: number }[], offset: number) {
  const xs: (number | null)[] = [];
  for (const r of spec) {
    for (let k = 0; k < r.length; k++) xs.push(r.value === null ? null : offset + r.value + k * r.step);
  }
  return xs;
}

test('causal medians, std and flags equal a brute-force trailing computation', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 25 }),
      fc.integer({ min: 1, max: 60 }),
      fc.constantFrom(0, 1e9),
      runs,
      (mw, sw, offset, spec) => {
        const xs = flatten(spec, offset);
        const expected = bruteForce(xs, mw, sw);
        const encoder = new CausalStructEncoder({ medianWindow: mw, sdWindow: sw });
        for (let i = 0; i < xs.length; i++) {
          const row = encoder.push(xs[i]);
          const window = xs.slice(Math.max(0, i - sw + 1), i + 1).filter((v): v is number => v !== null);
          const scale = Math.max(1, ...window.map(Math.abs));
          const spread = window.length ? Math.max(...window) - Math.min(...window) : 0;
          assert.ok(same(row.median, expected.med[i]), `median[${i}] ${row.median} vs ${expected.med[i]}`);
          assert.ok(same(row.devMedian, expected.devMed[i]), `devMedian[${i}]`);
          if (spread === 0) assert.equal(row.sd, 0, `sd[${i}] of a constant window`);
          assert.ok(Math.abs(row.sd - expected.sd[i]) <= 1e-9 * spread + 1e-12 * scale, `sd[${i}]`);
          assert.equal(`${row.up}${row.accel}${row.rangeexp}${row.zpos}`, expected.flags[i], `flags[${i}]`);
        }
      },
    ),
    { seed: 20240611, numRuns: 150 },
  );
});

test('default windows (61/301) match brute force on a long seeded series with gaps and runs', () => {
  let s = 7;
  const rand = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  const xs: (number | null)[] = [];
  for (let i = 0; i < 900; i++) {
    const r = rand();
    xs.push(r < 0.08 ? null : i % 200 < 40 ? 50 : Math.round(100 + 20 * rand() + (i > 500 ? 30 : 0)));
  }
  const expected = bruteForce(xs, 61, 301);
  const encoder = new CausalStructEncoder();
  xs.forEach((x, i) => {
    const row = encoder.push(x);
    assert.ok(same(row.median, expected.med[i]) && same(row.devMedian, expected.devMed[i]), `row ${i}`);
    assert.ok(Math.abs(row.sd - expected.sd[i]) <= 1e-9 * (1 + expected.sd[i]), `sd ${i}`);
    assert.equal(`${row.up}${row.accel}${row.rangeexp}${row.zpos}`, expected.flags[i], `flags ${i}`);
  });
});

test('encodeCausal equals pushing one sample at a time; reset starts over', () => {
  const xs = [3, 4, null, 4, 6, 1, 1, 1, 9, 2, 5];
  const whole = encodeCausal(xs, { medianWindow: 3, sdWindow: 5 });
  const encoder = new CausalStructEncoder({ medianWindow: 3, sdWindow: 5 });
  encoder.push(100);
  encoder.reset();
  xs.forEach((x, i) => {
    const row = encoder.push(x);
    assert.deepEqual(
      [row.up, row.accel, row.rangeexp, row.zpos],
      [whole.up[i], whole.accel[i], whole.rangeexp[i], whole.zpos[i]],
    );
  });
  assert.equal(encoder.samples, xs.length);
});

test('the first sample has no UP, ACCEL or RANGEEXP; a missing sample gives all-zero flags', () => {
  const encoder = new CausalStructEncoder();
  const first = encoder.push(10);
  assert.deepEqual([first.up, first.accel, first.rangeexp, first.zpos], [0, 0, 0, 0]);
  encoder.push(12);
  const gap = encoder.push(null);
  assert.deepEqual([gap.up, gap.accel, gap.rangeexp, gap.zpos], [0, 0, 0, 0]);
  assert.equal(gap.median, 11); // the window still holds 10 and 12
  const after = encoder.push(15);
  assert.equal(after.up, 0); // 15 − missing is NaN
  assert.equal(after.zpos, 1);
});

test('UP and ACCEL depend on neighbouring rows only, so causal and reference agree on them', () => {
  const xs = [5, 7, 6, 6, 9, 12, null, 3, 4, 8];
  const causal = encodeCausal(xs);
  const reference = encodeReference(xs);
  assert.deepEqual(causal.up, reference.up);
  assert.deepEqual(causal.accel, reference.accel);
});

test('a level step: causal ZPOS stays on for half a median window while the trailing median catches up', () => {
  const xs = Array.from({ length: 200 }, (_, i) => (i < 100 ? 10 : 20));
  const causal = encodeCausal(xs);
  const reference = encodeReference(xs);
  // Causal: rows 100…129 sit above a median still dominated by the old level (30 = ⌊61/2⌋ rows of lag).
  assert.deepEqual(
    [...causal.zpos.keys()].filter((i) => causal.zpos[i] === 1),
    Array.from({ length: 30 }, (_, k) => 100 + k),
  );
  // Reference: the centred median switches exactly at the step, so no row is above it.
  assert.equal(reference.zpos.indexOf(1), -1);
});

test('bad window options are RT_KERNEL_ARGUMENT', () => {
  for (const bad of [0, -1, 2.5, Number.NaN]) {
    assert.throws(
      () => new CausalStructEncoder({ medianWindow: bad }),
      (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
    );
    assert.throws(
      () => new CausalStructEncoder({ sdWindow: bad }),
      (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
    );
  }
});

test('pushFlags gives the flags of push as bits, and both paths keep the same state', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(fc.constant(null), fc.integer({ min: -4, max: 4 }), fc.double({ min: -50, max: 50 })),
        {
          maxLength: 150,
        },
      ),
      (values) => {
        const a = new CausalStructEncoder({ medianWindow: 7, sdWindow: 11 });
        const b = new CausalStructEncoder({ medianWindow: 7, sdWindow: 11 });
        for (const [i, v] of values.entries()) {
          // b alternates between the two entry points; its rows must not notice.
          const row = a.push(v);
          const want = row.up | (row.accel << 1) | (row.rangeexp << 2) | (row.zpos << 3);
          const got =
            i % 2 === 0
              ? b.pushFlags(v)
              : (() => {
                  const r = b.push(v);
                  assert.deepEqual(r, row);
                  return r.up | (r.accel << 1) | (r.rangeexp << 2) | (r.zpos << 3);
                })();
          assert.equal(got, want);
        }
      },
    ),
    { numRuns: 200 },
  );
});

/** Deterministic noise in [−1, 1) from a segment's seed (a tiny LCG). */
function noiseFrom(seed: number): () => number {
  let s = (Math.abs(seed) % 2147483646) + 1;
  return () => {
    s = (s * 48271) % 2147483647;
    return (2 * s) / 2147483647 - 1;
  };
}

type Kind = 'noise' | 'held' | 'step' | 'int' | 'gap' | 'inf' | 'huge' | 'tiny' | 'zero';

/** One segment of a mixed stream; every finite value is 0 or has 1e-150 ≤ |x| < 1e150. */
function expand(kind: Kind, level: number, length: number, seed: number): (number | null)[] {
  const noise = noiseFrom(seed);
  const sign = seed % 2 === 0 ? 1 : -1;
  return Array.from({ length }, (_, k) => {
    switch (kind) {
      case 'noise':
        return level + Math.abs(level) * 1e-3 * noise() + noise();
      case 'held':
        return level;
      case 'step':
        return k < length / 2 ? level : level + 10 * sign;
      case 'int':
        return Math.round(level / 1e4 + 3 * noise());
      case 'gap':
        return k % 2 === 0 ? null : Number.NaN;
      case 'inf':
        return noise() > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      case 'huge':
        return sign * (5 + 4 * noise()) * 10 ** (100 + (seed % 49));
      case 'tiny':
        return sign * (5 + 4 * noise()) * 10 ** -(101 + (seed % 49));
      default:
        return noise() > 0 ? 0 : -0;
    }
  });
}

const mixedStream = fc
  .array(
    fc.record({
      kind: fc.constantFrom<Kind>(
        'noise',
        'noise',
        'held',
        'step',
        'int',
        'int',
        'gap',
        'inf',
        'huge',
        'tiny',
        'zero',
      ),
      level: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      length: fc.integer({ min: 1, max: 40 }),
      seed: fc.integer({ min: 0, max: 1e9 }),
    }),
    { maxLength: 25, size: 'max' },
  )
  .map((segments) =>
    segments
      .flatMap((s) => expand(s.kind, s.level, s.length, s.seed))
      // fc.double also draws denormals: keep the documented domain (0 or 1e-150 ≤ |x| < 1e150).
      .map((x) => (x !== null && Math.abs(x) < 1e-150 ? 0 : x)),
  );

test('flags only (standardDeviation: false) gives the full encoder its flags, bit for bit', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.tuple(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 60 })),
        fc.constant([61, 301] as [number, number]),
      ),
      mixedStream,
      ([mw, sw], xs) => {
        const full = new CausalStructEncoder({ medianWindow: mw, sdWindow: sw });
        const flagsOnly = new CausalStructEncoder({
          medianWindow: mw,
          sdWindow: sw,
          standardDeviation: false,
        });
        for (const [i, x] of xs.entries()) {
          const want = full.pushFlags(x);
          const got = flagsOnly.pushFlags(x);
          if (got !== want) throw new Error(`sample ${i} (${x}): flags ${got} vs ${want}`);
        }
      },
    ),
    { seed: 20240613, numRuns: 300 },
  );
});

test('flags only: push reports the medians, and sd and z as NaN; no sd window', () => {
  const full = new CausalStructEncoder({ medianWindow: 5, sdWindow: 9 });
  const flagsOnly = new CausalStructEncoder({ medianWindow: 5, sdWindow: 9, standardDeviation: false });
  assert.equal(flagsOnly.medianWindow, 5);
  assert.equal(flagsOnly.sdWindow, 0);
  assert.equal(full.sdWindow, 9);
  for (const x of [3, 4, null, 4, 6, 1, 1, Number.POSITIVE_INFINITY, 9, 2, 5]) {
    const a = full.push(x);
    const b = flagsOnly.push(x);
    assert.deepEqual(
      [b.up, b.accel, b.rangeexp, b.zpos, b.median, b.devMedian],
      [a.up, a.accel, a.rangeexp, a.zpos, a.median, a.devMedian],
    );
    assert.ok(Number.isNaN(b.sd) && Number.isNaN(b.z));
  }
  flagsOnly.reset();
  assert.equal(flagsOnly.samples, 0);
  assert.throws(
    () => new CausalStructEncoder({ sdWindow: 0, standardDeviation: false }),
    (err) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT'),
  );
});

test('flags only beyond 1e-150 ≤ |x| < 1e150: ZPOS is x > median where the full z lost its sign', () => {
  const run = (xs: number[]) => {
    const full = new CausalStructEncoder({ medianWindow: 5, sdWindow: 5 });
    const flagsOnly = new CausalStructEncoder({ medianWindow: 5, sdWindow: 5, standardDeviation: false });
    return xs.map((x) => [full.push(x).zpos, flagsOnly.push(x).zpos]);
  };
  // 5e-324 above a median of 0, divided by sd ≈ 4.5: the quotient underflows to 0 in the full encoder.
  assert.deepEqual(run([0, 0, 0, 10, 5e-324]).at(-1), [0, 1]);
  // The sum of squares overflows (sd = inf or NaN): the full z is 0 or NaN, flags only keeps the sign.
  assert.deepEqual(run([0, 1e200, 1e200, 3e200]).at(-1), [0, 1]);
});

test('any doubles: both modes never throw and agree on UP, ACCEL and RANGEEXP', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(null), fc.double()), { maxLength: 200, size: 'max' }), (xs) => {
      const full = new CausalStructEncoder({ medianWindow: 7, sdWindow: 11 });
      const flagsOnly = new CausalStructEncoder({ medianWindow: 7, sdWindow: 11, standardDeviation: false });
      for (const x of xs) {
        const row = flagsOnly.push(x);
        const want = full.pushFlags(x);
        const got = row.up | (row.accel << 1) | (row.rangeexp << 2) | (row.zpos << 3);
        if ((got & 7) !== (want & 7)) return false;
        if (row.zpos !== ((x ?? Number.NaN) - row.median > 0 ? 1 : 0)) return false;
      }
      return true;
    }),
    { seed: 20240614, numRuns: 300 },
  );
});

test('an encoder in an owner buffer (into) emits the same rows as one with its own buffer', () => {
  let r = 5;
  const u = () => {
    r = (r * 16807) % 2147483647;
    return r / 2147483647;
  };
  for (const medianWindow of [1, 5, 61, 128]) {
    const size = CausalStructEncoder.slabSize(medianWindow);
    const values = new Float64Array(size.f64 + 4).fill(-1);
    const index = new Uint8Array(size.u8 + 11).fill(7);
    const into = { values, index, indexBase: 11 };
    const shared = new CausalStructEncoder({ medianWindow, sdWindow: 50 }, into);
    const alone = new CausalStructEncoder({ medianWindow, sdWindow: 50 });
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 700; i += 1) {
        const v = u();
        const x = v < 0.05 ? null : v < 0.15 ? 3 : Math.round(v * 20) / 4 + (i > 350 ? 6 : 0);
        assert.deepEqual(shared.push(x), alone.push(x), `w ${medianWindow} sample ${i}`);
      }
      shared.reset();
      alone.reset();
    }
    assert.ok(
      values.subarray(size.f64).every((x) => x === -1),
      'doubles past its share untouched',
    );
    assert.ok(
      index.subarray(0, 11).every((x) => x === 7),
      'bytes before indexBase untouched',
    );
  }
});

test('an owner buffer too small, or a median window over 128 with into, is RT_KERNEL_ARGUMENT', () => {
  const size = CausalStructEncoder.slabSize(61);
  const values = new Float64Array(size.f64 - 1);
  const index = new Uint8Array(size.u8);
  const isArgument = (err: unknown) => isRigtuneError(err, 'RT_KERNEL_ARGUMENT');
  assert.throws(() => new CausalStructEncoder({}, { values, index, indexBase: 0 }), isArgument);
  const big = CausalStructEncoder.slabSize(129);
  const into = { values: new Float64Array(big.f64), index: new Uint8Array(big.u8), indexBase: 0 };
  assert.throws(() => new CausalStructEncoder({ medianWindow: 129 }, into), isArgument);
  assert.equal(new CausalStructEncoder({ medianWindow: 129 }).medianWindow, 129);
});

test('a median window over 128 (indices wider than a byte) still matches the brute force', () => {
  let r = 9;
  const u = () => {
    r = (r * 16807) % 2147483647;
    return r / 2147483647;
  };
  const xs = Array.from({ length: 400 }, (_, i) =>
    u() < 0.05 ? null : Math.round(u() * 8) + (i > 250 ? 5 : 0),
  );
  const want = bruteForce(xs, 130, 40);
  const encoder = new CausalStructEncoder({ medianWindow: 130, sdWindow: 40 });
  xs.forEach((x, i) => {
    const row = encoder.push(x);
    assert.ok(Object.is(row.median, want.med[i]), `median ${i}`);
    assert.ok(Object.is(row.devMedian, want.devMed[i]), `devMedian ${i}`);
    assert.equal(`${row.up}${row.accel}${row.rangeexp}${row.zpos}`, want.flags[i], `flags ${i}`);
  });
});
