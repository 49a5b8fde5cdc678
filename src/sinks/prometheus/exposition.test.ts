// Tests of the exposition renderer: label escaping round-trips any string, null and non-finite values
// give no sample, empty families are left out, and yielding between slices never changes the text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { deviceLabels, escapeLabelValue, formatValue, renderFamilies } from './exposition.ts';
import type { DeviceRow, Family } from './families.ts';

/** Reads one escaped label value back (the exposition format's three escapes). */
function unescapeLabelValue(text: string): string {
  return text.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c));
}

test('label values escape backslash, double quote and line feed, nothing else', () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeLabelValue('tab\tcr\r ünï 🚀 {x=1}'), 'tab\tcr\r ünï 🚀 {x=1}');
  assert.equal(deviceLabels('rig "A"', 'gpu\\0'), '{rig="rig \\"A\\"",device="gpu\\\\0"}');
});

test('escaping round-trips any string and never leaves a raw newline or an unescaped quote (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const escaped = escapeLabelValue(s);
      assert.ok(!escaped.includes('\n'));
      assert.ok(!/(^|[^\\])(\\\\)*"/.test(escaped));
      assert.equal(unescapeLabelValue(escaped), s);
    }),
    { seed: 7 },
  );
});

test('values: finite numbers as JavaScript prints them, NaN and infinities give no sample', () => {
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(-1.5), '-1.5');
  assert.equal(formatValue(1410e6), '1410000000');
  assert.equal(formatValue(1e21), '1e+21');
  assert.equal(formatValue(Number.NaN), null);
  assert.equal(formatValue(Number.POSITIVE_INFINITY), null);
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), null);
});

const FAMILIES: Family[] = [
  { name: 'x_a', help: 'A.', type: 'gauge', value: (r) => r.score?.sep_score ?? null },
  { name: 'x_b_total', help: 'B.', type: 'counter', value: () => null },
  { name: 'x_c', help: 'C.', type: 'gauge', value: (r) => r.score?.lambda_hazard ?? null },
];

function row(i: number, sep: number | null, hazard: number): DeviceRow {
  return {
    labels: deviceLabels('r', `d${i}`),
    score: { sep_score: sep, lambda_hazard: hazard } as never,
    snapshot: null,
  };
}

test('a null or non-finite value gives no sample; a family without samples is left out', async () => {
  const rows = [row(0, 50, 0.5), row(1, null, Number.NaN), row(2, 0, 0)];
  const text = await renderFamilies(rows, FAMILIES, { sliceMs: 10, nowMs: () => 0 });
  assert.equal(
    text,
    [
      '# HELP x_a A.',
      '# TYPE x_a gauge',
      'x_a{rig="r",device="d0"} 50',
      'x_a{rig="r",device="d2"} 0',
      '# HELP x_c C.',
      '# TYPE x_c gauge',
      'x_c{rig="r",device="d0"} 0.5',
      'x_c{rig="r",device="d2"} 0',
      '',
    ].join('\n'),
  );
  assert.equal(await renderFamilies([], FAMILIES, { sliceMs: 10, nowMs: () => 0 }), '');
});

test('slicing yields between rows and families and never changes the text (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), { maxLength: 700 }),
      fc.integer({ min: 1, max: 50 }),
      async (values, step) => {
        const rows = values.map((v, i) => row(i, v, i / 7));
        const plain = await renderFamilies(rows, FAMILIES, { sliceMs: 10, nowMs: () => 0 });
        let t = 0;
        let yields = 0;
        const sliced = await renderFamilies(rows, FAMILIES, {
          sliceMs: 10,
          nowMs: () => (t += step),
          yieldNow: async () => {
            yields++;
          },
        });
        assert.equal(sliced, plain);
        // A look at the time every 128 rows, a yield whenever 10 ms "passed" since the last one.
        if (step >= 10 && rows.length >= 128) assert.ok(yields > 0);
      },
    ),
    { numRuns: 40, seed: 11 },
  );
});
