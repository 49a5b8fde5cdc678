// `study analyze` in process: flag checks, the same seed giving byte-identical reports, the stdout shape
// (JSON last), and the refusals (ambiguous or unknown study, bad NDJSON line, too few rows) with no report.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import {
  markersNdjson,
  syntheticStudy,
  writeHistory,
  writeMarkers,
} from '../runtime/study-history/test-kit.ts';
import { analyzeFromFlags, renderAnalyzeOutput } from './study-analyze.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-cli-study-'));
const data = join(dir, 'data');
const study = syntheticStudy({
  studyId: 'fan-70',
  seed: 2,
  t0: Date.UTC(2026, 4, 2, 8),
  devices: [{ rig: 'r1', device: 'gpu0' }],
  phaseMs: 420_000,
  stepMs: 5_000,
  effectPct: -2,
  treatment: 'fan_pct=70',
});
const flags = (extra: Record<string, string> = {}) => ({ data, seed: '4', replicates: '200', ...extra });

before(async () => {
  await writeHistory(data, study.batches);
  await writeMarkers(data, study.markers);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('flag values are checked before anything is read', async () => {
  for (const [field, value] of [
    ['seed', 'abc'],
    ['replicates', '10'],
    ['confidence', '1.5'],
  ] as const) {
    await assert.rejects(
      analyzeFromFlags(flags({ [field]: value })),
      (err) =>
        isRigtuneError(err, 'RT_CLI_USAGE') &&
        err.where.field === field &&
        err.message.startsWith(`--${field}:`),
    );
  }
});

test('the same seed gives byte-identical reports; the output ends with the JSON line', async () => {
  const a = await analyzeFromFlags(flags({ out: join(dir, 'a') }));
  const b = await analyzeFromFlags(flags({ out: join(dir, 'b') }));
  const read = (d: string, f: string) => readFileSync(join(dir, d, f), 'utf8');
  assert.equal(read('a', 'report.json'), read('b', 'report.json'));
  assert.equal(
    read('a', 'report.html').replaceAll(join(dir, 'a'), ''),
    read('b', 'report.html').replaceAll(join(dir, 'b'), ''),
  );
  const out = renderAnalyzeOutput(a).trimEnd().split('\n');
  assert.match(out[0], /^study fan-70: fan_pct=70$/);
  assert.match(out[2], /^ {2}B lowered efficiency by [12]\.\d % /, out[2]);
  const last = JSON.parse(out.at(-1) as string);
  assert.deepEqual(last, { ...a.line });
  assert.equal(last.verdict, 'worse');
  const { ci_low_pct: lo, ci_high_pct: hi } = a.line;
  assert.ok(lo !== null && hi !== null && lo <= -2 && -2 <= hi, JSON.stringify(last));
  assert.equal(b.result.method.seed, 4);
  assert.equal(b.result.method.replicates, 200);
});

test('several studies: --study picks one, none or an unknown id lists them; nothing is written', async () => {
  const other = study.markers.map((m) => ({ ...m, study_id: 'pl-150' }));
  const file = join(dir, 'two.ndjson');
  writeFileSync(file, markersNdjson([...study.markers, ...other]));
  await assert.rejects(
    analyzeFromFlags(flags({ markers: file })),
    (err) =>
      isRigtuneError(err, 'RT_CLI_USAGE') &&
      /holds 2 studies, pick one with --study ID: fan-70 .*; pl-150 /.test(err.message),
  );
  await assert.rejects(
    analyzeFromFlags(flags({ markers: file, study: 'x' })),
    (err) => isRigtuneError(err, 'RT_CLI_USAGE') && /no study 'x'/.test(err.message),
  );
  const picked = await analyzeFromFlags(flags({ markers: file, study: 'pl-150' }));
  assert.equal(picked.outDir, join(data, 'studies', 'pl-150'));
  assert.ok(!existsSync(join(data, 'studies', 'x')));
});

test('a bad NDJSON line: file:line and what is wrong', async () => {
  const file = join(dir, 'bad.ndjson');
  const lines = markersNdjson(study.markers).split('\n');
  lines[1] = lines[1].replace('"phase":"B"', '"phase":"b"');
  writeFileSync(file, lines.join('\n'));
  await assert.rejects(
    analyzeFromFlags(flags({ markers: file })),
    (err) =>
      isRigtuneError(err, 'RT_INPUT_PARSE') &&
      err.describe().startsWith(`${file}:2: field 'phase': bad marker: phase must be one of`),
  );
});

test('too few rows: a device of the markers without history is refused, no report', async () => {
  const file = join(dir, 'ghost.ndjson');
  const ghost = study.markers.map((m) => ({ ...m, study_id: 'ghost', device: 'gpu9' }));
  writeFileSync(file, markersNdjson(ghost));
  await assert.rejects(
    analyzeFromFlags(flags({ markers: file })),
    (err) =>
      isRigtuneError(err, 'RT_STUDY_DATA') &&
      err.where.device === 'gpu9' &&
      /too few rows: no snapshot of r1\/gpu9/.test(err.message),
  );
  assert.ok(!existsSync(join(data, 'studies', 'ghost')));
});
