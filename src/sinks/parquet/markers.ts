// The `aba_markers` dataset: A-B-A study phase markers as small Parquet files in the history's hive
// layout (`<data_dir>/aba_markers/date=YYYY-MM-DD/part-….parquet`), each written temp-then-rename.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SetpointKind } from '../../core/actuator.ts';
import { RigtuneError } from '../../core/errors.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { writeFileAtomic } from '../../durable/index.ts';
import { parquetSchemaOf } from './encode.ts';
import { cleanTempFiles, fileName, partitionDir } from './layout.ts';
import { type ColumnSpec, SCHEMA_VERSION_KEY } from './schema.ts';

/** Dataset folder name under the data directory. */
export const MARKERS_DATASET = 'aba_markers';

/**
 * One marker row (the study's AbaMarker, flattened): `ts_ms` epoch ms; `setpoint_kind`/`setpoint_value`
 * null when the phase holds no fixed set-point (value null alone = the device's default).
 */
export interface MarkerRow {
  readonly ts_ms: number;
  readonly study_id: string;
  readonly rig: string;
  readonly device: string;
  readonly phase: string;
  readonly treatment: string;
  readonly setpoint_kind: SetpointKind | null;
  readonly setpoint_value: number | null;
}

/** Columns as DuckDB sees them: ts TIMESTAMP (UTC), strings, setpoint_value DOUBLE. */
export const MARKER_COLUMNS: readonly ColumnSpec[] = [
  { name: 'ts', type: 'timestamp', nullable: false },
  { name: 'study_id', type: 'string', nullable: false },
  { name: 'rig', type: 'string', nullable: false },
  { name: 'device', type: 'string', nullable: false },
  { name: 'phase', type: 'string', nullable: false },
  { name: 'treatment', type: 'string', nullable: false },
  { name: 'setpoint_kind', type: 'string', nullable: true },
  { name: 'setpoint_value', type: 'double', nullable: true },
];

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Encodes `rows` (one file's worth) as Parquet bytes with the schema-version metadata. */
export function encodeMarkers(rows: readonly MarkerRow[]): Uint8Array {
  const pick = <T>(f: (r: MarkerRow) => T): T[] => rows.map(f);
  const buffer = parquetWriteBuffer({
    schema: parquetSchemaOf(MARKER_COLUMNS),
    columnData: [
      { name: 'ts', data: pick((r) => BigInt(Math.round(r.ts_ms))) },
      { name: 'study_id', data: pick((r) => r.study_id) },
      { name: 'rig', data: pick((r) => r.rig) },
      { name: 'device', data: pick((r) => r.device) },
      { name: 'phase', data: pick((r) => r.phase) },
      { name: 'treatment', data: pick((r) => r.treatment) },
      { name: 'setpoint_kind', data: pick((r) => r.setpoint_kind) },
      {
        name: 'setpoint_value',
        data: pick((r) => (Number.isFinite(r.setpoint_value) ? r.setpoint_value : null)),
      },
    ],
    codec: 'UNCOMPRESSED',
    kvMetadata: [
      { key: SCHEMA_VERSION_KEY, value: String(SCHEMA_VERSION) },
      { key: 'rigtune_dataset', value: MARKERS_DATASET },
    ],
  });
  return new Uint8Array(buffer);
}

/**
 * Appends marker files to `<dataDir>/aba_markers/`. Each `write` is one file per UTC date it touches,
 * written atomically (a crash leaves the file whole or absent); calls are serialized. A temp file a
 * crashed writer left is deleted on open (markers are also in the study's NDJSON, which is the record).
 */
export class MarkerWriter {
  readonly #dataDir: string;
  #seq: number;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(dataDir: string, nextSeq: number) {
    this.#dataDir = dataDir;
    this.#seq = nextSeq;
  }

  /** Opens the dataset (cleaning stray temp files, finding the next file number). Throws RT_OUTPUT_WRITE. */
  static async open(dataDir: string): Promise<MarkerWriter> {
    try {
      const found = await cleanTempFiles(dataDir, [MARKERS_DATASET], async () => false);
      return new MarkerWriter(dataDir, found.nextSeq);
    } catch (err) {
      throw new RigtuneError(
        'RT_OUTPUT_WRITE',
        `cannot open ${MARKERS_DATASET} under ${dataDir}: ${(err as Error).message}`,
        { file: dataDir },
        { cause: err },
      );
    }
  }

  /** Writes `rows` (none: nothing); resolves with the files written. Throws RT_OUTPUT_WRITE. */
  write(rows: readonly MarkerRow[]): Promise<string[]> {
    const run = this.#chain.then(() => this.#write(rows));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #write(rows: readonly MarkerRow[]): Promise<string[]> {
    const byDate = new Map<string, MarkerRow[]>();
    for (const r of rows) {
      const date = utcDate(r.ts_ms);
      byDate.set(date, [...(byDate.get(date) ?? []), r]);
    }
    const written: string[] = [];
    for (const [date, group] of [...byDate].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...group].sort((a, b) => a.ts_ms - b.ts_ms);
      const dir = partitionDir(this.#dataDir, MARKERS_DATASET, date);
      const path = join(dir, fileName(sorted[0].ts_ms, this.#seq++));
      try {
        await mkdir(dir, { recursive: true });
      } catch (err) {
        throw new RigtuneError(
          'RT_OUTPUT_WRITE',
          `cannot create ${dir}: ${(err as Error).message}`,
          { file: dir },
          { cause: err },
        );
      }
      await writeFileAtomic(path, encodeMarkers(sorted));
      written.push(path);
    }
    return written;
  }
}
