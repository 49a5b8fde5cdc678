// The column buffer: every snapshot field lands in its own column, non-finite values become null, and
// a closed buffer splits into UTC days ordered by rig, device and time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchAt, powerAt } from '../../../test/helpers/parquet-batches.ts';
import { type RigTickBatch, SCHEMA_VERSION } from '../../core/sink.ts';
import { emptySnapshot, NUMERIC_FIELDS, type Snapshot } from '../../core/snapshot.ts';
import { ChunkPool, ColumnBuffer, utcDate } from './buffer.ts';
import { CHUNK_ROWS, DATASETS } from './schema.ts';

const MIDNIGHT = Date.parse('2026-03-01T00:00:00Z');

function batchOf(snapshots: Snapshot[]): RigTickBatch {
  const rig = snapshots[0].rig;
  const ts = snapshots[0].ts;
  return {
    rig,
    ts,
    snapshots,
    scores: [],
    events: [],
    state: { schema: SCHEMA_VERSION, rig, ts, devices: [] },
  };
}

test('each numeric snapshot field goes to its column, in NUMERIC_FIELDS order', () => {
  const s = { ...emptySnapshot(MIDNIGHT, 'r', 'd') } as Record<string, unknown>;
  NUMERIC_FIELDS.forEach((f, i) => {
    s[f] = i + 1;
  });
  const b = new ColumnBuffer(DATASETS.snapshots);
  b.append(batchOf([s as unknown as Snapshot]), 0);
  assert.deepEqual(
    DATASETS.snapshots.columns.map((c) => c.name),
    ['ts', 'rig', 'device', ...NUMERIC_FIELDS],
  );
  NUMERIC_FIELDS.forEach((f, i) => {
    assert.equal(b.cell(i + 3, 0), i + 1, f);
  });
  assert.deepEqual([b.cell(0, 0), b.cell(1, 0), b.cell(2, 0)], [MIDNIGHT, 'r', 'd']);
});

test('NaN and infinities are stored as null, never as a made-up value', () => {
  const s = {
    ...emptySnapshot(MIDNIGHT, 'r', 'd'),
    power_w: Number.NaN,
    fan_pct: Number.POSITIVE_INFINITY,
    util_pct: 0,
  };
  const b = new ColumnBuffer(DATASETS.snapshots);
  b.append(batchOf([s]), 0);
  assert.equal(b.cell(b.columnIndex('power_w'), 0), null);
  assert.equal(b.cell(b.columnIndex('fan_pct'), 0), null);
  assert.equal(b.cell(b.columnIndex('util_pct'), 0), 0);
});

test('segments split at UTC midnight and order rows by rig, device, then time', () => {
  const b = new ColumnBuffer(DATASETS.scores);
  // Arrival order: rig-b before rig-a, and rig-a's ticks out of time order.
  b.append(batchAt('rig-b', MIDNIGHT - 1000, 0, 2), 5);
  b.append(batchAt('rig-a', MIDNIGHT + 1000, 2, 2), 6);
  b.append(batchAt('rig-a', MIDNIGHT - 2000, 0, 2), 7);
  b.append(batchAt('rig-a', MIDNIGHT, 1, 2), 8);
  assert.equal(b.rows, 8);
  assert.equal(b.batches, 4);
  assert.equal(b.openedMs, 5);
  const segs = b.segments();
  assert.deepEqual(
    segs.map((s) => [s.date, s.startMs, s.order.length]),
    [
      ['2026-02-28', MIDNIGHT - 2000, 4],
      ['2026-03-01', MIDNIGHT, 4],
    ],
  );
  const keys = (i: number) =>
    [...segs[i].order].map((r) => `${b.rig(r)}/${b.device(r)}@${b.ts(r) - MIDNIGHT}`);
  assert.deepEqual(keys(0), ['rig-a/gpu0@-2000', 'rig-a/gpu1@-2000', 'rig-b/gpu0@-1000', 'rig-b/gpu1@-1000']);
  assert.deepEqual(keys(1), ['rig-a/gpu0@0', 'rig-a/gpu0@1000', 'rig-a/gpu1@0', 'rig-a/gpu1@1000']);
});

test('utcDate names the UTC day', () => {
  assert.equal(utcDate(MIDNIGHT - 1), '2026-02-28');
  assert.equal(utcDate(MIDNIGHT), '2026-03-01');
});

test('a malformed batch throws and leaves the columns aligned', () => {
  const b = new ColumnBuffer(DATASETS.scores);
  b.append(batchAt('rig-a', MIDNIGHT, 1, 2), 0);
  const bad = batchAt('rig-a', MIDNIGHT + 1000, 2, 2);
  const broken = {
    ...bad,
    scores: [bad.scores[0], { ...bad.scores[1], kpis: undefined }],
  } as unknown as RigTickBatch;
  assert.throws(() => b.append(broken, 1), TypeError);
  assert.equal(b.rows, 2);
  b.append(batchAt('rig-a', MIDNIGHT + 2000, 3, 1), 2);
  assert.equal(b.rows, 3);
  const last = DATASETS.scores.columns.map((_, k) => b.cell(k, 2));
  assert.deepEqual(last.slice(0, 4), [MIDNIGHT + 2000, 'rig-a', 'gpu0', 4]);
  assert.equal(b.segments()[0].order.length, 3);
});

test('each score field goes to its column (KPIs, the CI split in two, structure, joined lists)', () => {
  const b = new ColumnBuffer(DATASETS.scores);
  const batch = batchAt('rig-a', MIDNIGHT, 49, 1);
  const t = { ...batch.scores[0], health_reasons: ['temp', 'power'], counter_resets: ['energy_j'] };
  b.append({ ...batch, scores: [t] }, 0);
  const cell = (name: string) => b.cell(b.columnIndex(name), 0);
  const s = t.structure as NonNullable<typeof t.structure>;
  const expected: Record<string, unknown> = {
    ts: MIDNIGHT,
    rig: 'rig-a',
    device: 'gpu0',
    samples: t.samples,
    sep_score: t.sep_score,
    rupture_class: 'meso',
    lambda_hazard: t.lambda_hazard,
    change_prob: t.change_prob,
    health_bit: t.health_bit,
    health_reasons: 'temp,power',
    reject_rate_ci95_low: 0.005,
    reject_rate_ci95_high: 0.02,
    coherence: s.coherence,
    stability: s.stability,
    entropy: s.entropy,
    rupture: s.rupture,
    channels_changing: 'power_w,temp_core_c',
    counter_resets: 'energy_j',
  };
  for (const [k, v] of Object.entries(t.kpis)) if (k !== 'reject_rate_ci95') expected[k] = v;
  assert.deepEqual(Object.fromEntries(DATASETS.scores.columns.map((c) => [c.name, cell(c.name)])), expected);
});

test('rows across chunk boundaries keep their cells; a batch that throws there leaves no trace', () => {
  const b = new ColumnBuffer(DATASETS.snapshots, new ChunkPool(8));
  const devices = CHUNK_ROWS / 2 + 3;
  for (let k = 0; k < 3; k++) b.append(batchAt('rig-a', MIDNIGHT + k * 1000, k, devices), 0);
  const bad = batchAt('rig-a', MIDNIGHT + 3000, 3, devices);
  const broken = { ...bad, snapshots: [...bad.snapshots.slice(0, -1), null] } as unknown as RigTickBatch;
  assert.throws(() => b.append(broken, 0), TypeError);
  b.append(batchAt('rig-b', MIDNIGHT, 0, 2), 0);
  assert.equal(b.rows, 3 * devices + 2);
  const power = b.columnIndex('power_w');
  for (let k = 0; k < 3; k++) {
    for (const d of [0, devices - 1]) {
      const row = k * devices + d;
      assert.deepEqual(
        [b.ts(row), b.device(row), b.cell(power, row)],
        [MIDNIGHT + k * 1000, `gpu${d}`, powerAt(k, d)],
      );
    }
  }
  assert.deepEqual([b.rig(3 * devices), b.device(3 * devices + 1)], ['rig-b', 'gpu1']);
  const [segment] = b.segments();
  assert.equal(segment.order.length, b.rows);
  assert.deepEqual([...segment.order.subarray(0, 3)], [0, devices, 2 * devices]);
});

test('a released buffer hands its chunks to the next one, strings cleared; the pool keeps at most its bound', () => {
  const pool = new ChunkPool(1);
  const first = pool.take(2, 1);
  const second = pool.take(2, 1);
  first.str[0] = 'old';
  pool.give(first);
  pool.give(second); // over the bound: dropped
  const again = pool.take(2, 1);
  assert.equal(again, first);
  assert.equal(again.str[0], null);
  assert.notEqual(pool.take(2, 1), second);
  const b = new ColumnBuffer(DATASETS.snapshots, pool);
  b.append(batchAt('rig-a', MIDNIGHT, 1, 3), 0);
  b.release();
  assert.deepEqual([b.rows, b.batches, b.bytes, b.openedMs], [0, 0, 0, null]);
  const next = new ColumnBuffer(DATASETS.snapshots, pool);
  next.append(batchAt('rig-b', MIDNIGHT + 1000, 2, 2), 0);
  assert.deepEqual(
    [next.rig(1), next.device(1), next.cell(next.columnIndex('power_w'), 1)],
    ['rig-b', 'gpu1', powerAt(2, 1)],
  );
});
