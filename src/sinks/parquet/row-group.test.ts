// The row-group writer writes the very bytes hyparquet-writer's own ParquetWriter.write writes for the
// same cells (doubles, dictionaries, nulls, plain fall-backs, several pages), so readers see no change.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteWriter, type ColumnSource, ParquetWriter } from 'hyparquet-writer';
import type { RuptureEvent, ScoreTick } from '../../core/scores.ts';
import type { RigTickBatch } from '../../core/sink.ts';
import { NUMERIC_FIELDS, type Snapshot } from '../../core/snapshot.ts';
import { ChunkPool, ColumnBuffer, type Segment } from './buffer.ts';
import { type EncodeOptions, encodeSegment, parquetSchemaOf } from './encode.ts';
import { DATASETS, type DatasetName, fileMetadata } from './schema.ts';
import { compressSnappy } from './snappy.ts';

/** Keeps every byte the encoder hands over. */
class Collect extends ByteWriter {
  readonly parts: Uint8Array[] = [];
  flush(): void {
    this.parts.push(this.getBytes().slice());
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The encoding before the row-group writer: row arrays handed to ParquetWriter.write. */
async function reference(buffer: ColumnBuffer, segment: Segment, options: EncodeOptions): Promise<Buffer> {
  const writer = new Collect();
  const pq = new ParquetWriter({
    writer,
    schema: parquetSchemaOf(buffer.spec.columns),
    codec: options.codec,
    compressors: { SNAPPY: compressSnappy },
    kvMetadata: fileMetadata(buffer.spec.name),
    createdBy: 'rigtune parquet sink',
    statisticsTruncateLength: 64,
  });
  const specs = buffer.spec.columns;
  const n = segment.order.length;
  for (let from = 0; from < n; from += options.rowGroupRows) {
    const rows = [...segment.order.subarray(from, Math.min(n, from + options.rowGroupRows))];
    const columnData: ColumnSource[] = specs.map((c, k) => ({
      name: c.name,
      data: rows.map((r) => {
        const v = buffer.cell(k, r);
        return c.type === 'timestamp' ? BigInt(v as number) : v;
      }),
      statistics: ['ts', 'rig', 'device'].includes(c.name),
      encoding: c.type === 'double' ? 'PLAIN' : undefined,
    }));
    await pq.write({ columnData, rowGroupSize: rows.length });
  }
  await pq.finish();
  return writer.bytes();
}

async function encoded(buffer: ColumnBuffer, segment: Segment, options: EncodeOptions): Promise<Buffer> {
  const writer = new Collect();
  await encodeSegment(writer, buffer, segment, options);
  return writer.bytes();
}

/**
 * Batches from a seed: nulls at `nullRate`, odd names, clock steps; device names, reasons and sample
 * counts drawn from `pool` values (0: all distinct), around writeColumn's dictionary thresholds.
 */
function batchesOf(seed: number, nullRate: number, pool: number): RigTickBatch[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const names = ['a', 'rig-01', 'ÿ', '\u{1F600}', '\uE000', 'Z', '', 'é'];
  const values = [0, -0, 1, 300, 0.25, 9501, 1.7e308];
  const out: RigTickBatch[] = [];
  let u = 0;
  const drawn = (): number => (pool === 0 ? u++ : Math.floor(rnd() * pool));
  for (let k = 0; k < 12; k++) {
    for (const rig of ['rig-b', pick(names), 'rig-a']) {
      const ts = Date.parse('2026-03-01T00:00:00Z') - 6000 + k * 1000 - (rnd() < 0.05 ? 3000 : 0);
      const snapshots: Snapshot[] = [];
      const scores: ScoreTick[] = [];
      const events: RuptureEvent[] = [];
      for (let d = 0; d < Math.floor(rnd() * 40); d++) {
        const device = pool > 0 && pool < 100 ? (rnd() < 0.1 ? pick(names) : `gpu${d}`) : `dev-${drawn()}`;
        const cell = (): number | null =>
          rnd() < nullRate ? null : rnd() < 0.5 ? pick(values) : rnd() * 1e6;
        const snapshot: Record<string, unknown> = { ts, rig, device };
        for (const f of NUMERIC_FIELDS) snapshot[f] = cell();
        snapshots.push(snapshot as unknown as Snapshot);
        const structure =
          rnd() < nullRate ? null : { coherence: cell(), stability: 0.5, entropy: cell(), rupture: 1 };
        scores.push({
          ts,
          rig,
          device,
          samples: rnd() < 0.1 ? k : drawn(),
          sep_score: cell(),
          rupture_class: pick(['none', 'meso', 'macro']),
          lambda_hazard: cell(),
          change_prob: cell(),
          health_bit: rnd() < nullRate ? null : rnd() < 0.5 ? 0 : 1,
          health_reasons: rnd() < 0.5 ? [`r${drawn()}`] : rnd() < 0.2 ? ['temp', pick(names)] : [],
          kpis: kpisOf(cell, rnd() < nullRate),
          structure,
          channels_changing: rnd() < 0.1 ? ['power_w', 'temp_core_c'] : [],
          counter_resets: [],
        } as unknown as ScoreTick);
        if (rnd() < 0.1) {
          const event = { type: 'event', ts_start: ts - 5000, ts_detected: ts, rig, device, class: 'meso' };
          events.push({ ...event, channels: ['power_w'], hazard: cell() } as RuptureEvent);
        }
      }
      out.push({ rig, ts, snapshots, scores, events, state: { schema: 1, rig, ts, devices: [] } });
    }
  }
  return out;
}

const KPIS = ['efficiency_h_per_j', 'efficiency_j_per_th', 'reject_rate', 'shares_in_window'];
const MORE_KPIS = [
  'thermal_headroom_c',
  'latency_budget_ms',
  'stability_index',
  'eff_norm',
  'hashrate_ratio',
];

function kpisOf(cell: () => number | null, noCi: boolean): Record<string, unknown> {
  const kpis: Record<string, unknown> = {};
  for (const key of [...KPIS, ...MORE_KPIS]) kpis[key] = cell();
  kpis.reject_rate_ci95 = noCi ? null : [cell(), cell()];
  return kpis;
}

const DATASET_LIST: DatasetName[] = ['snapshots', 'scores', 'events'];

test('every dataset: the same bytes as ParquetWriter.write, whatever the cells', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 30 }),
      fc.constantFrom(0, 0.05, 0.5, 1),
      fc.constantFrom(0, 2, 50, 3000),
      fc.constantFrom(100, 333, 10_000),
      fc.constantFrom('SNAPPY' as const, 'UNCOMPRESSED' as const),
      async (seed, nullRate, pool, rowGroupRows, codec) => {
        const batches = batchesOf(seed, nullRate, pool);
        for (const name of DATASET_LIST) {
          const buffer = new ColumnBuffer(DATASETS[name], new ChunkPool(4));
          for (const b of batches) buffer.append(b, 0);
          for (const segment of buffer.segments()) {
            const options = { rowGroupRows, codec };
            const want = await reference(buffer, segment, options).catch(
              (err: Error) => err.constructor.name,
            );
            const got = await encoded(buffer, segment, options).catch((err: Error) => err.constructor.name);
            assert.deepEqual(got, want, `${name} seed ${seed}`);
          }
        }
      },
    ),
    { seed: 20260301, numRuns: 40 },
  );
});

test('chunks of several pages (over 1 MiB of doubles or 4-byte indexes): the same bytes', async () => {
  const rows = 270_000;
  const buffer = new ColumnBuffer(DATASETS.events);
  const events: RuptureEvent[] = [];
  for (let i = 0; i < rows; i++) {
    const ts = 1_772_323_200_000 + i;
    const hazard = i % 97 === 0 ? null : (i * 0.618) % 1;
    events.push({
      type: 'event',
      ts_start: ts,
      ts_detected: ts,
      rig: 'r',
      device: `d${i % 3}`,
      class: 'meso',
      channels: [],
      hazard: hazard as number, // null: a mixed column over several pages
    });
  }
  buffer.append(
    {
      rig: 'r',
      ts: 0,
      snapshots: [],
      scores: [],
      events,
      state: { schema: 1, rig: 'r', ts: 0, devices: [] },
    },
    0,
  );
  const [segment] = buffer.segments();
  for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
    const options = { rowGroupRows: rows, codec };
    assert.deepEqual(await encoded(buffer, segment, options), await reference(buffer, segment, options));
  }
});
