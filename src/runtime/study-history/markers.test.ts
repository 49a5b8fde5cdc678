// NDJSON markers (--markers FILE): valid lines parse to the same markers as the Parquet dataset; every
// bad line is refused with file:line, the field and what is wrong; any garbage line errors, never crashes.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError, RigtuneError } from '../../core/errors.ts';
import { parseMarkerLines, readMarkersFile } from './markers.ts';
import { markersNdjson, syntheticStudy } from './test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-study-markers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const { markers } = syntheticStudy({
  studyId: 's1',
  seed: 1,
  t0: Date.UTC(2026, 0, 5),
  devices: [{ rig: 'r', device: 'gpu0' }],
  phaseMs: 60_000,
  stepMs: 60_000,
  effectPct: 0,
});

test('a valid NDJSON file: blank and # lines skipped, extra keys ignored, setpoint optional', async () => {
  const file = join(dir, 'ok.ndjson');
  const extra = JSON.stringify({ ...markers[3], setpoint: undefined, note: 'written by hand' });
  writeFileSync(file, `# study s1\n\n${markersNdjson(markers.slice(0, 3))}${extra}\r\n`);
  assert.deepEqual(await readMarkersFile(file), markers);
});

const good = JSON.stringify(markers[0]);
const cases: Array<[string, RegExp, string | undefined]> = [
  ['{"ts_ms": 1', /not a JSON object/, undefined],
  ['[1, 2]', /a marker must be a JSON object/, undefined],
  [JSON.stringify({ ...markers[0], ts_ms: '2026-01-05' }), /ts_ms must be epoch milliseconds/, 'ts_ms'],
  [JSON.stringify({ ...markers[0], phase: 'C' }), /phase must be one of A1, B, A2, end, got "C"/, 'phase'],
  [JSON.stringify({ ...markers[0], study_id: '' }), /study_id must not be empty/, 'study_id'],
  [JSON.stringify({ ...markers[0], device: undefined }), /device must be a string, got nothing/, 'device'],
  [
    JSON.stringify({ ...markers[0], setpoint: { kind: 'power_limit_w', value: '180' } }),
    /setpoint.value must be a number or null/,
    'setpoint.value',
  ],
  [JSON.stringify({ ...markers[0], setpoint: 5 }), /setpoint must be null or \{kind, value\}/, 'setpoint'],
];

for (const [line, message, field] of cases) {
  test(`a bad line is refused with file:line${field === undefined ? '' : ` and field ${field}`}: ${message.source}`, () => {
    assert.throws(
      () => parseMarkerLines(`${good}\n\n${line}\n${good}\n`, 'm.ndjson'),
      (err) =>
        isRigtuneError(err, 'RT_INPUT_PARSE') &&
        err.where.file === 'm.ndjson' &&
        err.where.line === 3 &&
        err.where.field === field &&
        message.test(err.message) &&
        err.describe().startsWith('m.ndjson:3: '),
    );
  });
}

test('an empty or missing file is an error naming it', async () => {
  assert.throws(
    () => parseMarkerLines('\n# nothing\n', 'e.ndjson'),
    (err) => isRigtuneError(err, 'RT_INPUT_FORMAT') && err.where.file === 'e.ndjson',
  );
  await assert.rejects(
    readMarkersFile(join(dir, 'missing.ndjson')),
    (err) => isRigtuneError(err, 'RT_INPUT_NOT_FOUND') && err.where.file === join(dir, 'missing.ndjson'),
  );
});

test('any text: markers or a RigtuneError with a line number, nothing else', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.json(), fc.constant(good)), { maxLength: 6 }), (lines) => {
      try {
        const out = parseMarkerLines(lines.join('\n'), 'f');
        assert.ok(out.length > 0);
      } catch (err) {
        assert.ok(err instanceof RigtuneError, String(err));
        assert.ok(
          err.code === 'RT_INPUT_FORMAT' ||
            (err.code === 'RT_INPUT_PARSE' && typeof err.where.line === 'number'),
        );
      }
    }),
    { seed: 11, numRuns: 300 },
  );
});
