// Parquet trace reader over hyparquet: the schema is checked once, then each row group is read
// column by column (typed arrays, not row objects) and turned into records, so memory stays per group.

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type DecodedArray,
  type FileMetaData,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
} from 'hyparquet';
import { RigtuneError } from '../core/errors.ts';
import { layoutColumns, TimeOrderCheck } from './columns.ts';
import { readError } from './file.ts';
import { type ColumnKind, describeType, kindOfColumn } from './parquet-types.ts';
import { epochMsFromNumber, parseTimeText } from './time.ts';
import type { TraceDefaults, TraceReader, TraceRecord } from './types.ts';
import { excerpt, finiteOrNull } from './values.ts';

/** Timestamps and dates decode straight to epoch milliseconds (numbers), keeping sub-ms digits. */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => (typeof v === 'bigint' ? Number(v) : v),
  timestampFromMicroseconds: (v: bigint) =>
    typeof v === 'bigint' ? Number(v / 1000n) + Number(v % 1000n) / 1e3 : v,
  timestampFromNanoseconds: (v: bigint) =>
    typeof v === 'bigint' ? Number(v / 1_000_000n) + Number(v % 1_000_000n) / 1e6 : v,
  dateFromDays: (days: number) => (typeof days === 'number' ? days * 86_400_000 : days),
};

/** An AsyncBuffer reading slices of an open file with positioned reads. */
function fileBuffer(handle: FileHandle, byteLength: number): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end = byteLength): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(Math.max(0, end - start));
      let got = 0;
      while (got < bytes.length) {
        const { bytesRead } = await handle.read(bytes, got, bytes.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

async function withFile<T>(file: string, size: number, use: (buffer: AsyncBuffer) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw readError(file, err);
  }
  try {
    return await use(fileBuffer(handle, size));
  } catch (err) {
    if (err instanceof RigtuneError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new RigtuneError('RT_INPUT_PARSE', `cannot read Parquet: ${reason}`, { file }, { cause: err });
  } finally {
    await handle.close();
  }
}

interface Plan {
  readonly names: readonly string[];
  readonly kinds: readonly ColumnKind[];
}

/** Reads the footer of a Parquet trace, checks the column types and returns its reader. */
export async function openParquetTrace(
  file: string,
  sizeBytes: number,
  defaults: TraceDefaults,
): Promise<TraceReader> {
  const metadata = await withFile(file, sizeBytes, (buffer) =>
    parquetMetadataAsync(buffer, { parsers: PARSERS }),
  );
  const elements = parquetSchema(metadata).children.map((c) => c.element);
  const names = elements.map((e) => e.name);
  const layout = layoutColumns(names, file);
  const kinds = elements.map(kindOfColumn);
  elements.forEach((element, i) => {
    const where = { file, column: i + 1, field: element.name };
    const kind = kinds[i];
    const isTime = i === layout.timeIndex;
    const isName = i === layout.rigIndex || i === layout.deviceIndex;
    const isOk = isTime
      ? kind !== 'other'
      : isName
        ? kind === 'number' || kind === 'text'
        : kind === 'number';
    if (!isOk) {
      const wanted = isTime ? 'a time, number or ISO 8601 text' : isName ? 'text' : 'a number';
      const msg = `column '${element.name}' has Parquet type ${describeType(element)}, expected ${wanted}`;
      throw new RigtuneError('RT_INPUT_COLUMN', msg, where);
    }
  });
  const plan: Plan = { names, kinds };
  return {
    path: file,
    format: 'parquet',
    numericColumns: layout.numericNames,
    sizeBytes,
    records: (onProgress) => readParquetRecords(file, sizeBytes, metadata, plan, defaults, onProgress),
  };
}

async function* readParquetRecords(
  file: string,
  sizeBytes: number,
  metadata: FileMetaData,
  plan: Plan,
  defaults: TraceDefaults,
  onProgress?: (consumedBytes: number) => void,
): AsyncGenerator<TraceRecord> {
  const layout = layoutColumns(plan.names, file);
  const order = new TimeOrderCheck(file, layout.timeName);
  const totalRows = Number(metadata.num_rows);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw readError(file, err);
  }
  try {
    const scan = await parquetScan({ file: fileBuffer(handle, sizeBytes), metadata, parsers: PARSERS });
    for (const range of scan.ranges) {
      const columns: DecodedArray[] = [];
      for (const name of plan.names) {
        columns.push(await readRange(file, () => scan.readColumn({ column: name, ...range })));
      }
      for (let r = 0; r < range.rowEnd - range.rowStart; r++) {
        const line = range.rowStart + r + 1;
        const record = toRecord(file, layout, plan.kinds, columns, r, line, defaults);
        order.check(record.rig, record.device, record.ts, line);
        yield record;
      }
      onProgress?.(totalRows > 0 ? Math.round((range.rowEnd / totalRows) * sizeBytes) : sizeBytes);
    }
  } finally {
    await handle.close();
  }
}

async function readRange(file: string, read: () => Promise<DecodedArray>): Promise<DecodedArray> {
  try {
    return await read();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new RigtuneError('RT_INPUT_PARSE', `cannot read Parquet: ${reason}`, { file }, { cause: err });
  }
}

type Layout = ReturnType<typeof layoutColumns>;

function toRecord(
  file: string,
  layout: Layout,
  kinds: readonly ColumnKind[],
  columns: readonly DecodedArray[],
  r: number,
  line: number,
  defaults: TraceDefaults,
): TraceRecord {
  const raw: unknown = columns[layout.timeIndex][r];
  const kind = kinds[layout.timeIndex];
  const ts =
    raw === null || raw === undefined
      ? undefined
      : kind === 'text'
        ? parseTimeText(String(raw))
        : kind === 'time'
          ? Number(raw)
          : epochMsFromNumber(Number(raw));
  if (ts === undefined || !Number.isFinite(ts)) {
    const msg = `cannot read time ${excerpt(String(raw))} (expected epoch s, epoch ms or ISO 8601)`;
    const where = { file, line, column: layout.timeIndex + 1, field: layout.timeName };
    throw new RigtuneError('RT_INPUT_TIME', msg, where);
  }
  const rig = nameAt(columns, layout.rigIndex, r) || defaults.rig;
  const device = nameAt(columns, layout.deviceIndex, r) || defaults.device;
  const values: Record<string, number | null> = {};
  for (let k = 0; k < layout.numericNames.length; k++) {
    const v: unknown = columns[layout.numericIndexes[k]][r];
    values[layout.numericNames[k]] =
      typeof v === 'number' ? finiteOrNull(v) : typeof v === 'bigint' ? Number(v) : null;
  }
  return { ts, rig, device, values, line };
}

function nameAt(columns: readonly DecodedArray[], index: number, r: number): string {
  if (index < 0) return '';
  const v: unknown = columns[index][r];
  return v === null || v === undefined ? '' : String(v).trim();
}
