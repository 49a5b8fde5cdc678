// Loading a study back: snapshot rows through DuckDB from files the real Parquet sink wrote (devices,
// time range across two date partitions, columns), markers from the real aba_markers writer, and errors.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { checkRows } from './check-rows.ts';
import { HistoryDb } from './duckdb.ts';
import { loadParquetMarkers } from './markers.ts';
import { listStudies, selectStudy } from './select.ts';
import { loadSnapshots } from './snapshots.ts';
import { syntheticStudy, writeHistory, writeMarkers } from './test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-study-history-'));
// Starts 10 minutes before midnight UTC, so the study spans two date partitions.
const T0 = Date.UTC(2026, 2, 1, 23, 50, 0);
const DEVICES = [
  { rig: 'rig-a', device: 'gpu0' },
  { rig: 'rig-a', device: 'gpu1' },
  { rig: 'rig-b', device: 'gpu0' },
];
const study = syntheticStudy({
  studyId: 'pl-180',
  seed: 3,
  t0: T0,
  devices: DEVICES,
  phaseMs: 300_000,
  stepMs: 5_000,
  effectPct: 3,
});
let db: HistoryDb;

before(async () => {
  db = await HistoryDb.open();
  await writeHistory(dir, study.batches, 200);
  await writeMarkers(dir, study.markers);
});

after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('snapshot rows of the chosen devices and range, ordered by device then time, cell for cell', async () => {
  const from = T0 + 60_000;
  const to = T0 + 800_000;
  const loaded = await loadSnapshots(db, {
    dataDir: dir,
    devices: [DEVICES[2], DEVICES[0]],
    fromMs: from,
    toMs: to,
    fields: ['power_w', 'hashrate_5s', 'temp_inlet_c', 'accepted_shares', 'hashrate_1m'],
  });
  const want = study.snapshots
    .filter((s) => s.device === 'gpu0' && s.ts >= from && s.ts <= to)
    .sort((a, b) => a.rig.localeCompare(b.rig) || a.ts - b.ts)
    .map((s) => ({
      ts: s.ts,
      rig: s.rig,
      device: s.device,
      power_w: s.power_w,
      hashrate_5s: s.hashrate_5s,
      temp_inlet_c: s.temp_inlet_c,
      accepted_shares: s.accepted_shares,
      hashrate_1m: null,
    }));
  assert.deepEqual(loaded.rows, want);
  assert.deepEqual(loaded.rowsPerDevice, { 'rig-a/gpu0': want.length / 2, 'rig-b/gpu0': want.length / 2 });
  assert.deepEqual(loaded.missingFields, []);
  assert.ok(
    loaded.files.some((f) => f.includes('date=2026-03-01')) &&
      loaded.files.some((f) => f.includes('date=2026-03-02')),
  );
});

test('a range inside one day reads only that partition; an open range reads all', async () => {
  const day2 = Date.UTC(2026, 2, 2);
  const loaded = await loadSnapshots(db, { dataDir: dir, devices: [DEVICES[1]], fromMs: day2, toMs: null });
  assert.ok(loaded.files.every((f) => f.includes('date=2026-03-02')));
  assert.equal(
    loaded.rows.length,
    study.snapshots.filter((s) => s.rig === 'rig-a' && s.device === 'gpu1' && s.ts >= day2).length,
  );
  const all = await loadSnapshots(db, { dataDir: dir, devices: [], fromMs: null, toMs: null });
  assert.equal(all.rows.length, study.snapshots.length);
  assert.ok(all.rows.every((r) => 'temp_core_c' in r && 'hw_errors' in r));
});

test('no history, or none in the range: RT_INPUT_NOT_FOUND naming the folder', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'rigtune-study-empty-'));
  try {
    await assert.rejects(
      loadSnapshots(db, { dataDir: empty, devices: DEVICES, fromMs: null, toMs: null }),
      (err) =>
        isRigtuneError(err, 'RT_INPUT_NOT_FOUND') &&
        err.where.file === join(empty, 'snapshots') &&
        /no snapshots history/.test(err.message),
    );
    await assert.rejects(
      loadParquetMarkers(db, empty),
      (err) =>
        isRigtuneError(err, 'RT_INPUT_NOT_FOUND') &&
        err.where.file === join(empty, 'aba_markers') &&
        /--markers/.test(err.message),
    );
    mkdirSync(join(empty, 'snapshots', 'date=2026-03-01'), { recursive: true });
    await assert.rejects(
      loadSnapshots(db, { dataDir: empty, devices: DEVICES, fromMs: T0, toMs: T0 + 1000 }),
      (err) => isRigtuneError(err, 'RT_INPUT_NOT_FOUND') && /time range/.test(err.message),
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  await assert.rejects(
    loadSnapshots(db, { dataDir: dir, devices: DEVICES, fromMs: Date.UTC(2027, 0, 1), toMs: null }),
    (err) => isRigtuneError(err, 'RT_INPUT_NOT_FOUND') && /2026-03-01 … 2026-03-02/.test(err.message),
  );
});

test('markers from the aba_markers dataset equal what the writer got', async () => {
  const markers = await loadParquetMarkers(db, dir);
  const key = (m: { study_id: string; rig: string; device: string; ts_ms: number }) =>
    `${m.study_id}/${m.rig}/${m.device}/${String(m.ts_ms).padStart(14, '0')}`;
  assert.deepEqual(
    markers,
    [...study.markers].sort((a, b) => key(a).localeCompare(key(b))),
  );
  const [s] = listStudies(markers);
  assert.equal(s.studyId, 'pl-180');
  assert.equal(s.treatment, 'power_limit_w=180');
  assert.deepEqual(s.devices, DEVICES);
  assert.equal(s.fromMs, T0);
  assert.equal(s.toMs, T0 + 900_000);
});

test('study selection: the only one, by id, unknown id and ambiguity list the studies', () => {
  const other = study.markers.map((m) => ({ ...m, study_id: 'fan-70', ts_ms: m.ts_ms + 3_600_000 }));
  assert.equal(selectStudy(study.markers, undefined, 'x').studyId, 'pl-180');
  const both = [...study.markers, ...other];
  assert.equal(selectStudy(both, 'fan-70', 'x').fromMs, T0 + 3_600_000);
  assert.throws(
    () => selectStudy(both, undefined, 'markers.ndjson'),
    (err) =>
      isRigtuneError(err, 'RT_CLI_USAGE') &&
      /holds 2 studies.*fan-70 \(3 device\(s\).*pl-180/.test(err.message),
  );
  assert.throws(
    () => selectStudy(both, 'nope', 'm'),
    (err) => isRigtuneError(err, 'RT_CLI_USAGE') && /no study 'nope'.*fan-70.*pl-180/.test(err.message),
  );
  const open = listStudies(study.markers.filter((m) => !(m.phase === 'end' && m.rig === 'rig-b')));
  assert.equal(open[0].toMs, null, 'a device without an end marker leaves the range open');
});

test('too few rows: a device without rows or a phase with one row is refused (RT_STUDY_DATA)', () => {
  const s = selectStudy(study.markers, undefined, 'x');
  checkRows(s, study.snapshots, 'snapshots');
  const noB = study.snapshots.filter((r) => r.device !== 'gpu1');
  assert.throws(
    () => checkRows(s, noB, 'snapshots'),
    (err) =>
      isRigtuneError(err, 'RT_STUDY_DATA') &&
      err.where.device === 'gpu1' &&
      /no snapshot of rig-a\/gpu1/.test(err.message),
  );
  const bStart = T0 + 300_000;
  const thin = study.snapshots.filter(
    (r) => !(r.rig === 'rig-b' && r.ts >= bStart + 5_000 && r.ts < bStart + 300_000),
  );
  assert.throws(
    () => checkRows(s, thin, 'snapshots'),
    (err) =>
      isRigtuneError(err, 'RT_STUDY_DATA') && /phase B of rig-b\/gpu0 has 1 snapshot row/.test(err.message),
  );
});
