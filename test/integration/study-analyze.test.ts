// `rigtune study analyze` end to end through the launcher: a synthetic study written by the real Parquet
// sink and marker writer, with a known +3 % efficiency change (recovered within its interval) and with none.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  markersNdjson,
  syntheticStudy,
  writeHistory,
  writeMarkers,
} from '../../src/runtime/study-history/test-kit.ts';
import type { StudyResult } from '../../src/study/aba/index.ts';
import type { StudyInputs } from '../../src/study/report/index.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rigtune-study-analyze-'));
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const DEVICES = [
  { rig: 'rig-a', device: 'gpu0' },
  { rig: 'rig-b', device: 'gpu0' },
];
const base = { t0: T0, devices: DEVICES, phaseMs: 600_000, stepMs: 3_000 };
const effective = syntheticStudy({ ...base, studyId: 'pl-180', seed: 5, effectPct: 3 });
const placebo = syntheticStudy({ ...base, studyId: 'placebo', seed: 9, effectPct: 0, treatment: 'nothing' });

function rigtune(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  await writeHistory(join(root, 'effective'), effective.batches, 1000);
  await writeMarkers(join(root, 'effective'), effective.markers);
  await writeHistory(join(root, 'placebo'), placebo.batches);
  writeFileSync(join(root, 'placebo.ndjson'), markersNdjson(placebo.markers));
});

after(() => rmSync(root, { recursive: true, force: true }));

interface Report {
  readonly schema: string;
  readonly inputs: StudyInputs;
  readonly result: StudyResult;
}

const contains = (lo: number | null, hi: number | null, x: number) =>
  lo !== null && hi !== null && lo <= x && x <= hi;

test('a known +3 % efficiency change: recovered within its interval, per device and pooled', async () => {
  const data = join(root, 'effective');
  const r = await rigtune(['study', 'analyze', '--data', data, '--replicates', '400']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const last = JSON.parse(lines.at(-1) as string);
  const reportPath = join(data, 'studies', 'pl-180', 'report.html');
  assert.deepEqual(Object.keys(last), [
    'study_id',
    'devices',
    'verdict',
    'effect_pct',
    'ci_low_pct',
    'ci_high_pct',
    'report',
  ]);
  assert.equal(last.study_id, 'pl-180');
  assert.equal(last.devices, 2);
  assert.equal(last.verdict, 'improved');
  assert.equal(last.report, reportPath);
  assert.ok(contains(last.ci_low_pct, last.ci_high_pct, 3), JSON.stringify(last));
  assert.ok(last.ci_low_pct > 0 && Math.abs(last.effect_pct - 3) < 0.5, JSON.stringify(last));
  assert.match(
    lines[2],
    /^ {2}B improved efficiency by \d\.\d % \(adjusted for temp_inlet_c, 95 % CI \d\.\d–\d\.\d %, n=2 devices, \d+ samples\)\.$/,
  );

  const json = JSON.parse(readFileSync(join(data, 'studies', 'pl-180', 'report.json'), 'utf8')) as Report;
  assert.equal(json.schema, 'rigtune.study-report/1');
  assert.equal(json.inputs.study_id, 'pl-180');
  assert.equal(json.inputs.rows, effective.snapshots.length);
  assert.deepEqual(json.inputs.rows_per_device, { 'rig-a/gpu0': 601, 'rig-b/gpu0': 601 });
  assert.ok(json.inputs.files >= 2, 'the history rolled into several files');
  assert.equal(json.inputs.from_ms, T0);
  assert.equal(json.inputs.to_ms, T0 + 1_800_000);
  assert.equal(json.inputs.markers, 8);
  assert.equal(json.result.pooled.verdict.effect_pct?.value, last.effect_pct);
  for (const d of json.result.devices) {
    const e = d.verdict.effect_pct;
    assert.equal(d.verdict.verdict, 'improved', d.verdict.reasons.join('; '));
    assert.ok(e !== null && contains(e.lo, e.hi, 3), `${d.rig}/${d.device}: ${JSON.stringify(e)}`);
  }

  const page = readFileSync(reportPath, 'utf8');
  const headline = lines[2].trim();
  assert.ok(
    page.indexOf(headline) > 0 && page.indexOf(headline) < page.indexOf('<section'),
    'the verdict leads the page',
  );
  for (const id of ['pooled', 'device-rig-a-gpu0', 'device-rig-b-gpu0', 'method'])
    assert.ok(page.includes(`id="${id}"`), id);
  assert.ok(!page.includes('http') && !page.includes('<script') && !/\ssrc=/.test(page), 'self-contained');
});

test('no effect (markers from NDJSON, --out): nothing is claimed, the interval holds zero', async () => {
  const out = join(root, 'out-placebo');
  const r = await rigtune([
    'study',
    'analyze',
    '--data',
    join(root, 'placebo'),
    '--markers',
    join(root, 'placebo.ndjson'),
    '--out',
    out,
    '--replicates',
    '400',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const last = JSON.parse(r.stdout.trimEnd().split('\n').at(-1) as string);
  assert.equal(last.study_id, 'placebo');
  assert.ok(last.verdict === 'no_effect' || last.verdict === 'inconclusive', last.verdict);
  assert.ok(contains(last.ci_low_pct, last.ci_high_pct, 0), JSON.stringify(last));
  assert.equal(last.report, join(out, 'report.html'));
  assert.ok(existsSync(join(out, 'report.json')));
  assert.ok(!existsSync(join(root, 'placebo', 'studies')), 'nothing written to the default folder');
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  assert.equal(json.inputs.markers_source, join(root, 'placebo.ndjson'));
});

test('an error exits 1 with the path and what is missing on stderr, nothing on stdout', async () => {
  const empty = join(root, 'empty');
  const none = await rigtune(['study', 'analyze', '--data', empty]);
  assert.equal(none.code, 1);
  assert.match(
    none.stderr,
    new RegExp(`${join(empty, 'aba_markers')}: no aba_markers history.*\\[RT_INPUT_NOT_FOUND\\]`),
  );
  assert.equal(none.stdout, '');
});
