// Trace writers of `rigtune sim`: snapshots as CSV, NDJSON or Parquet (by the output's extension),
// streamed through an atomic writer, columns exactly the snapshot schema (ts epoch ms, rig, device).

import { ByteWriter, type ColumnSource, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { RigtuneError } from '../core/errors.ts';
import { NUMERIC_FIELDS, type NumericField, type Snapshot } from '../core/snapshot.ts';
import { AtomicFileWriter } from '../durable/index.ts';

export type SimTraceFormat = 'csv' | 'ndjson' | 'parquet';

/** The trace format for an output path, by extension; throws RT_CLI_USAGE for anything else. */
export function traceFormatOf(path: string): SimTraceFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.parquet')) return 'parquet';
  throw new RigtuneError(
    'RT_CLI_USAGE',
    `--out must end in .csv, .ndjson, .jsonl or .parquet, got '${path}'`,
    {
      command: 'sim',
      field: 'out',
    },
  );
}

/** `<stem>.events.ndjson` beside `out` (the last extension replaced). */
export function eventsPathFor(out: string): string {
  const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
  const dot = out.lastIndexOf('.');
  const stem = dot > slash + 1 ? out.slice(0, dot) : out;
  return `${stem}.events.ndjson`;
}

/** Decimals kept per field: sensor resolution or better, so files stay small and exact enough. */
const DECIMALS: Partial<Record<NumericField, number>> = {
  hashrate_5s: 0,
  hashrate_1m: 0,
  hashrate_expected: 0,
  power_w: 2,
  power_limit_w: 2,
  fan_pct: 0,
  fan_rpm: 0,
  clock_core_mhz: 1,
  clock_mem_mhz: 0,
  util_pct: 0,
  stratum_latency_ms: 1,
  energy_j: 1,
};
const SCALES = NUMERIC_FIELDS.map((f) => 10 ** (DECIMALS[f] ?? 2));

function rounded(v: number | null, i: number): number | null {
  if (v === null) return null;
  const s = SCALES[i];
  return Math.round(v * s) / s;
}

/** RFC 4180 cell for the text columns. */
function csvText(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A streaming trace writer: `add` snapshots, then `commit` (or `abort`). */
export interface SimTraceWriter {
  add(snapshots: readonly Snapshot[]): Promise<void>;
  commit(): Promise<{ bytesWritten: number }>;
  abort(): Promise<void>;
}

const FLUSH_CHARS = 256 * 1024;
const PARQUET_ROW_GROUP = 100_000;

class TextTraceWriter implements SimTraceWriter {
  readonly #out: AtomicFileWriter;
  readonly #format: 'csv' | 'ndjson';
  #chunk = '';

  constructor(out: AtomicFileWriter, format: 'csv' | 'ndjson') {
    this.#out = out;
    this.#format = format;
    if (format === 'csv') this.#chunk = `${['ts', 'rig', 'device', ...NUMERIC_FIELDS].join(',')}\n`;
  }

  async add(snapshots: readonly Snapshot[]): Promise<void> {
    for (const s of snapshots) {
      if (this.#format === 'csv') {
        let line = `${s.ts},${csvText(s.rig)},${csvText(s.device)}`;
        for (let i = 0; i < NUMERIC_FIELDS.length; i++) {
          const v = rounded(s[NUMERIC_FIELDS[i]], i);
          line += v === null ? ',' : `,${v}`;
        }
        this.#chunk += `${line}\n`;
      } else {
        const row: Record<string, string | number | null> = { ts: s.ts, rig: s.rig, device: s.device };
        for (let i = 0; i < NUMERIC_FIELDS.length; i++)
          row[NUMERIC_FIELDS[i]] = rounded(s[NUMERIC_FIELDS[i]], i);
        this.#chunk += `${JSON.stringify(row)}\n`;
      }
    }
    if (this.#chunk.length >= FLUSH_CHARS) {
      await this.#out.write(this.#chunk);
      this.#chunk = '';
    }
  }

  async commit(): Promise<{ bytesWritten: number }> {
    if (this.#chunk.length > 0) await this.#out.write(this.#chunk);
    this.#chunk = '';
    return this.#out.commit();
  }

  abort(): Promise<void> {
    return this.#out.abort();
  }
}

/** Parquet: ts INT64 (epoch ms), rig and device STRING, every numeric field DOUBLE (nullable). */
class ParquetTraceWriter implements SimTraceWriter {
  readonly #out: AtomicFileWriter;
  readonly #bytes = new ByteWriter();
  #parquet: ParquetWriter | null = null;
  #ts: bigint[] = [];
  #rig: string[] = [];
  #device: string[] = [];
  #values: (number | null)[][] = NUMERIC_FIELDS.map(() => []);

  constructor(out: AtomicFileWriter) {
    this.#out = out;
  }

  #columns(): ColumnSource[] {
    return [
      { name: 'ts', data: this.#ts, type: 'INT64', nullable: false },
      { name: 'rig', data: this.#rig, type: 'STRING', nullable: false },
      { name: 'device', data: this.#device, type: 'STRING', nullable: false },
      ...NUMERIC_FIELDS.map((name, i): ColumnSource => ({ name, data: this.#values[i], type: 'DOUBLE' })),
    ];
  }

  async add(snapshots: readonly Snapshot[]): Promise<void> {
    for (const s of snapshots) {
      this.#ts.push(BigInt(s.ts));
      this.#rig.push(s.rig);
      this.#device.push(s.device);
      for (let i = 0; i < NUMERIC_FIELDS.length; i++) this.#values[i].push(rounded(s[NUMERIC_FIELDS[i]], i));
    }
    if (this.#ts.length >= PARQUET_ROW_GROUP) await this.#flushGroup();
  }

  async #flushGroup(): Promise<void> {
    if (this.#ts.length === 0 && this.#parquet !== null) return;
    const columnData = this.#columns();
    this.#parquet ??= new ParquetWriter({
      writer: this.#bytes,
      schema: schemaFromColumnData({ columnData }),
      createdBy: 'rigtune sim',
    });
    if (this.#ts.length > 0) await this.#parquet.write({ columnData, rowGroupSize: this.#ts.length });
    this.#ts = [];
    this.#rig = [];
    this.#device = [];
    this.#values = NUMERIC_FIELDS.map(() => []);
    await this.#drain();
  }

  /** Moves the encoded bytes to the file; the ByteWriter keeps counting file offsets. */
  async #drain(): Promise<void> {
    if (this.#bytes.index === 0) return;
    await this.#out.write(new Uint8Array(this.#bytes.buffer, 0, this.#bytes.index).slice());
    this.#bytes.index = 0;
  }

  async commit(): Promise<{ bytesWritten: number }> {
    await this.#flushGroup();
    await this.#parquet!.finish();
    await this.#drain();
    return this.#out.commit();
  }

  abort(): Promise<void> {
    return this.#out.abort();
  }
}

/** Opens a trace writer for `path` in `format` (temp file beside it until commit). */
export async function openSimTraceWriter(path: string, format: SimTraceFormat): Promise<SimTraceWriter> {
  const out = await AtomicFileWriter.open(path);
  return format === 'parquet' ? new ParquetTraceWriter(out) : new TextTraceWriter(out, format);
}
