// Candidate configurations: the built-in thresholds, a file with only `defaults:`, a full rigtune.yaml
// with per-rig thresholds and autotune off, sweep overlays that win everywhere, and clear errors.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { buildCandidates } from './candidates.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-bt-cand-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const hazard = (o: { changepoint?: { hazard?: number } }) => o.changepoint?.hazard;

test('no file: one candidate with the built-in thresholds and advice on', () => {
  const [c] = buildCandidates([], undefined, {});
  assert.equal(c.name, 'built-in');
  assert.equal(hazard(c.scorerFor('rig7')), 0.003);
  assert.equal(c.advisoryFor('rig7')?.enabled, true);
});

test('a file with only defaults: is accepted and applies to every trace rig', () => {
  const path = file(
    'thr.yaml',
    'defaults:\n  changepoint:\n    hazard: 0.001\n  advisory:\n    persist_ticks: 7\n',
  );
  const [c] = buildCandidates([path], undefined, {});
  assert.equal(c.name, 'thr.yaml');
  assert.equal(hazard(c.scorerFor('any')), 0.001);
  assert.equal(c.advisoryFor('any')?.persist_ticks, 7);
});

const FULL = [
  'defaults:',
  '  rupture: {meso: 0.45}',
  'rigs:',
  '  - name: rig0',
  '    sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]',
  '    autotune: off',
  '  - name: rig1',
  '    sources: [{kind: xmrig, url: "http://127.0.0.1:2"}]',
  '    thresholds: {changepoint: {hazard: 0.01}}',
  '',
].join('\n');

test('a full rigtune.yaml: a rig of the trace uses its own thresholds; autotune off = no advice', () => {
  const [c] = buildCandidates([file('full.yaml', FULL)], undefined, {});
  assert.equal(hazard(c.scorerFor('rig1')), 0.01);
  assert.equal(hazard(c.scorerFor('rig9')), 0.003);
  assert.equal((c.scorerFor('rig9') as { rupture: { meso: number } }).rupture.meso, 0.45);
  assert.equal(c.advisoryFor('rig0'), null);
  assert.notEqual(c.advisoryFor('rig1'), null);
});

test('a sweep: one candidate per file and point; the swept value wins over a rig override', () => {
  const cs = buildCandidates([file('full.yaml', FULL)], 'changepoint.hazard=0.0001,0.002', {});
  assert.deepEqual(
    cs.map((c) => c.name),
    ['full.yaml changepoint.hazard=0.0001', 'full.yaml changepoint.hazard=0.002'],
  );
  assert.deepEqual(
    cs.map((c) => [hazard(c.scorerFor('rig1')), hazard(c.scorerFor('rig9'))]),
    [
      [0.0001, 0.0001],
      [0.002, 0.002],
    ],
  );
  assert.deepEqual(cs[0].settings, { 'changepoint.hazard': 0.0001 });
});

test('errors: unknown key with its line, a swept value that breaks a rule, a missing file, a bad grid', () => {
  const bad = file('bad.yaml', 'defaults:\n  changepoint:\n    hazrd: 0.1\n');
  assert.throws(
    () => buildCandidates([bad], undefined, {}),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.file === bad && e.where.line === 3,
  );
  assert.throws(
    () => buildCandidates([], 'rupture.micro=0.5', {}),
    (e) =>
      isRigtuneError(e, 'RT_CONFIG_INVALID') &&
      e.message.includes('rupture.micro=0.5') &&
      e.message.includes('micro'),
  );
  assert.throws(
    () => buildCandidates([join(dir, 'nope.yaml')], undefined, {}),
    (e) => isRigtuneError(e, 'RT_INPUT_NOT_FOUND'),
  );
  assert.throws(
    () => buildCandidates([], 'rupture.nope=1', {}),
    (e) => isRigtuneError(e, 'RT_CLI_USAGE'),
  );
});
