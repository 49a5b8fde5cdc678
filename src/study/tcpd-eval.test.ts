// Tests of the TCPD evaluation helpers: the target-series rule, reading datasets and published tables,
// and how failed published runs count in averages.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import {
  isTargetSeries,
  parsePublishedScores,
  parseTcpdDataset,
  publishedMean,
  scoreSeries,
} from './tcpd-eval.ts';

test('target series: univariate, not quality control, not run_log or uk_coal_employ', () => {
  assert.ok(isTargetSeries('nile', 1));
  assert.ok(!isTargetSeries('quality_control_3', 1));
  assert.ok(!isTargetSeries('uk_coal_employ', 1));
  assert.ok(!isTargetSeries('run_log', 2));
  assert.ok(!isTargetSeries('occupancy', 4));
});

test('a dataset record reads the first dimension; null and non-numbers become null', () => {
  const s = parseTcpdDataset(
    { name: 'x', n_obs: 4, n_dim: 1, series: [{ raw: [1, null, 'NaN', 2.5] }] },
    'x.json',
  );
  assert.deepEqual(s, { name: 'x', n: 4, nDim: 1, values: [1, null, null, 2.5] });
  assert.throws(
    () => parseTcpdDataset({ name: 'x', n_obs: 3, series: [] }, 'x.json'),
    (e) => isRigtuneError(e, 'RT_INPUT_FORMAT') && e.where.file === 'x.json',
  );
  assert.throws(
    () => parseTcpdDataset({ name: 'x', n_obs: 3, series: [{ raw: [1] }] }, 'x.json'),
    (e) => isRigtuneError(e, 'RT_INPUT_FORMAT'),
  );
});

test('published tables: empty cells are failed runs that count 0 in a mean', () => {
  const t = parsePublishedScores('dataset,a,b\ns1,0.5,\ns2,1.0,0.25\n', 'f.csv');
  assert.deepEqual(t.get('s1'), { a: 0.5, b: null });
  assert.equal(publishedMean(t, ['s1', 's2'], 'a'), 0.75);
  assert.equal(publishedMean(t, ['s1', 's2'], 'b'), 0.125);
  assert.throws(
    () => parsePublishedScores('dataset,a\ns1,abc\n', 'f.csv'),
    (e) => isRigtuneError(e, 'RT_INPUT_PARSE') && e.where.line === 2 && e.where.field === 'a',
  );
  assert.throws(
    () => parsePublishedScores('name,a\n', 'f.csv'),
    (e) => isRigtuneError(e, 'RT_INPUT_FORMAT'),
  );
});

test('scoreSeries gives both scores with the 5-sample margin', () => {
  const ann = { 1: [40], 2: [42] };
  assert.deepEqual(scoreSeries(ann, [45], 100).f1, 1);
  assert.ok(scoreSeries(ann, [48], 100).f1 < 1);
});
