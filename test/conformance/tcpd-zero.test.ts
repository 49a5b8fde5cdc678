// Conformance of the TCPD scores: the "zero" method (no change points) must reproduce the published
// per-series F1 and cover of every series present, which pins down the index-0 and annotator rules.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parsePublishedScores, parseTcpdDataset } from '../../src/study/tcpd-eval.ts';
import { coverScore, f1Score } from '../../src/study/tcpd-metrics.ts';

const DATA = new URL('../../../shared/data/tcpd/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, DATA), 'utf8');

test('zero predictions reproduce the published zero column (F1 and cover, 4 decimals)', () => {
  const annotations = JSON.parse(read('annotations.json'));
  const f1Table = parsePublishedScores(read('published_scores/default_f1.csv'), 'default_f1.csv');
  const coverTable = parsePublishedScores(read('published_scores/default_cover.csv'), 'default_cover.csv');
  const files = readdirSync(new URL('datasets/', DATA)).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 25);
  for (const f of files) {
    const s = parseTcpdDataset(JSON.parse(read(`datasets/${f}`)), f);
    const f1 = f1Score(annotations[s.name], [], s.n);
    const cover = coverScore(annotations[s.name], [], s.n);
    assert.ok(Math.abs(f1 - (f1Table.get(s.name)?.zero ?? Number.NaN)) < 6e-5, `${s.name} F1 ${f1}`);
    assert.ok(
      Math.abs(cover - (coverTable.get(s.name)?.zero ?? Number.NaN)) < 6e-5,
      `${s.name} cover ${cover}`,
    );
  }
});
