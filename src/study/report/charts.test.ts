// The SVG charts: lines break at gaps, phase bands and markers are drawn and labelled, downsampling keeps
// extremes, box statistics are right, the forest plot marks intervals crossing the reference, labels escape.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { boxStats, distributionPlot } from './distribution-plot.ts';
import { forestPlot } from './forest-plot.ts';
import { formatDuration, formatInterval, formatNumber, formatP, formatPct, formatTimeUtc } from './format.ts';
import { lineChart } from './line-chart.ts';
import { downsample, niceTicks, type Point, timeTicks } from './scale.ts';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

test('line chart: one path per series, a gap starts a new subpath, bands and markers labelled', () => {
  const points: Point[] = [
    [T0, 1],
    [T0 + 1000, 2],
    [T0 + 2000, null],
    [T0 + 3000, 3],
    [T0 + 4000, 4],
  ];
  const svg = lineChart({
    title: 'Efficiency <H/J>',
    series: [
      { label: 'gpu0', points },
      { label: 'gpu1', points: points.map(([x, y]) => [x, y === null ? null : y * 2]) },
    ],
    bands: [
      { from: T0, to: T0 + 2000, label: 'A1' },
      { from: T0 + 2000, to: T0 + 4000, label: 'B', color: '#fde8d7' },
    ],
    markers: [{ x: T0 + 2000, label: 'set-point' }],
    xKind: 'time',
    yLabel: 'H/J',
  }).toString();
  assert.equal((svg.match(/<path d="/g) ?? []).length, 2);
  const first = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
  assert.equal((first.match(/M/g) ?? []).length, 2, first);
  assert.equal((first.match(/L/g) ?? []).length, 2, first);
  assert.match(svg, /Efficiency &lt;H\/J&gt;/);
  assert.match(svg, />A1<\/text>/);
  assert.match(svg, /fill="#fde8d7"/);
  assert.match(svg, />set-point<\/text>/);
  assert.match(svg, />12:00:00<\/text>/);
  assert.match(svg, /<title>gpu1<\/title>/);
  assert.ok(!svg.includes('NaN'));
});

test('line chart without data draws a frame that says so', () => {
  const svg = lineChart({ series: [{ label: 'x', points: [[1, null]] }] }).toString();
  assert.match(svg, /no data/);
  assert.ok(!svg.includes('NaN'));
});

test('downsample keeps first, last, minimum and maximum of each bucket, in x order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { nil: null }), {
        minLength: 2,
        maxLength: 2000,
      }),
      fc.integer({ min: 8, max: 200 }),
      (ys, max) => {
        const pts: Point[] = ys.map((y, i) => [i, y]);
        const out = downsample(pts, max);
        if (pts.length <= max) {
          assert.deepEqual(out, pts);
          return;
        }
        assert.ok(out.length <= max + 4, `${out.length} > ${max}`);
        for (let i = 1; i < out.length; i += 1) assert.ok(out[i][0] > out[i - 1][0]);
        const finite = ys.filter((y): y is number => y !== null);
        if (finite.length > 0) {
          const outYs = out.map((p) => p[1]).filter((y): y is number => y !== null);
          assert.equal(Math.max(...outYs), Math.max(...finite));
          assert.equal(Math.min(...outYs), Math.min(...finite));
        }
        assert.deepEqual(out[0], pts[0]);
        assert.deepEqual(out.at(-1), pts.at(-1));
      },
    ),
    { seed: 7, numRuns: 200 },
  );
});

test('ticks: round steps inside the range', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.13, 0.61, 4), [0.2, 0.3, 0.4, 0.5, 0.6]);
  assert.deepEqual(timeTicks(T0 + 1, T0 + 3_600_000, 4), [
    T0 + 900_000,
    T0 + 1_800_000,
    T0 + 2_700_000,
    T0 + 3_600_000,
  ]);
});

test('box statistics: quartiles by linear interpolation, mean, non-finite ignored', () => {
  const s = boxStats([5, 1, 4, 2, 3, Number.NaN]);
  assert.deepEqual(s, { n: 5, mean: 3, p05: 1.2, q1: 2, median: 3, q3: 4, p95: 4.8 });
  assert.equal(boxStats([]), null);
});

test('distribution plot: a box per group with its count, empty groups say no data', () => {
  const svg = distributionPlot({
    title: 'Power by phase',
    groups: [
      { label: 'A1', values: Array.from({ length: 1000 }, (_, i) => 200 + (i % 10)) },
      { label: 'B', values: [190, 191, 192] },
      { label: 'A2', values: [] },
    ],
    yLabel: 'W',
    maxStripPoints: 100,
  }).toString();
  assert.equal((svg.match(/<rect /g) ?? []).length, 2);
  assert.equal((svg.match(/<circle /g) ?? []).length, 100 + 3);
  assert.match(svg, />n=1000<\/text>/);
  assert.match(svg, />n=0<\/text>/);
  assert.match(svg, /no data/);
  assert.ok(!svg.includes('NaN'));
});

test('forest plot: intervals crossing the reference are grey, others coloured, pooled is a diamond', () => {
  const svg = forestPlot({
    title: 'Efficiency effect',
    rows: [
      { label: 'rig1/gpu0', estimate: 3, low: 1, high: 5, note: 'n=100' },
      { label: 'rig1/gpu1', estimate: 1, low: -1, high: 3 },
      { label: 'rig1/gpu2', estimate: null, low: null, high: null },
      { label: 'pooled', estimate: 2, low: 0.5, high: 3.5, pooled: true },
    ],
    format: (v) => formatPct(v, 1, true),
    xLabel: '%',
  }).toString();
  assert.match(svg, />\+3.0 % \[\+1.0 % – \+5.0 %\] {2}n=100<\/text>/);
  assert.match(svg, /stroke="#5b6575" stroke-width="1.6"/);
  assert.equal((svg.match(/stroke="#0072b2" stroke-width="1.6"/g) ?? []).length, 2);
  assert.match(svg, /not estimable/);
  assert.match(svg, /<path d="M[^"]+z" fill="#0072b2"\/>/);
  assert.ok(!svg.includes('NaN'));
});

test('formatting', () => {
  assert.equal(formatNumber(1234.5678), '1235');
  assert.equal(formatNumber(0.012345), '0.0123');
  assert.equal(formatNumber(null), '—');
  assert.equal(formatPct(3.14), '3.1 %');
  assert.equal(formatPct(-0.04, 1, true), '0.0 %');
  assert.equal(formatInterval(1.2, 5), '1.2 – 5');
  assert.equal(formatInterval(null, 5), '—');
  assert.equal(formatP(0.0004), '< 0.001');
  assert.equal(formatDuration(3_599_600), '1h00m');
  assert.equal(formatDuration(245_000), '4m05s');
  assert.equal(formatDuration(6_500), '6.5s');
  assert.equal(formatTimeUtc(T0), '2026-03-01 12:00:00Z');
});
