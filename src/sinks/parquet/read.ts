// Reads the sink's own Parquet files back with hyparquet: footers (completeness of a leftover temp
// file), and one rig's rows between two times, only the needed columns, skipping row groups by statistics.

import { type FileHandle, open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type FileMetaData,
  type ParquetQueryFilter,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
} from 'hyparquet';
import type { Cell } from './schema.ts';

/** Timestamps decode to epoch ms numbers (hyparquet's default is Date). */
const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
};

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

async function withFile<T>(path: string, use: (buffer: AsyncBuffer) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await use(fileBuffer(handle, size));
  } finally {
    await handle.close();
  }
}

/** Footer of a Parquet file (throws when it is not one, or is cut short). */
export function readMetadata(path: string): Promise<FileMetaData> {
  return withFile(path, (buffer) => parquetMetadataAsync(buffer, { parsers: PARSERS }));
}

/** True when `path` is a whole Parquet file: magic at both ends and a footer that parses. */
export async function isCompleteParquet(path: string): Promise<boolean> {
  try {
    const meta = await withFile(path, async (buffer) => {
      if (buffer.byteLength < 12) return null;
      const head = new TextDecoder().decode(await buffer.slice(0, 4));
      if (head !== 'PAR1') return null;
      return parquetMetadataAsync(buffer, { parsers: PARSERS });
    });
    return meta !== null;
  } catch {
    // Unreadable or truncated: not complete; the caller deletes it.
    return false;
  }
}

/** Which rows of a file to read. */
export interface FileQuery {
  readonly rig: string;
  readonly device?: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Columns wanted besides ts, rig, device; those missing from the file read as null. */
  readonly columns: readonly string[];
}

/** One matching row: ts (epoch ms), rig, device and the wanted columns. */
export type Row = Record<string, Cell>;

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/**
 * Reads the rows of `path` matching `q`. Row groups whose ts/rig/device statistics rule them out are
 * never read; the wanted columns are read only for groups where some row matched.
 */
export async function readRows(path: string, q: FileQuery): Promise<Row[]> {
  return withFile(path, async (file) => {
    const metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
    const present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
    const wanted = q.columns.filter((c) => present.has(c));
    const pruning: ParquetQueryFilter[] = [{ ts: { $gte: q.fromMs, $lte: q.toMs } }, { rig: { $eq: q.rig } }];
    if (q.device !== undefined) pruning.push({ device: { $eq: q.device } });
    const scan = await parquetScan({
      file,
      metadata,
      parsers: PARSERS,
      columns: ['ts', 'rig', 'device', ...wanted],
      pruningFilter: { $and: pruning },
    });
    const rows: Row[] = [];
    for (const range of scan.ranges) {
      const ts = await scan.readColumn({ column: 'ts', ...range });
      const rig = await scan.readColumn({ column: 'rig', ...range });
      const device = await scan.readColumn({ column: 'device', ...range });
      const hits: number[] = [];
      for (let i = 0; i < ts.length; i++) {
        const t = Number(ts[i]);
        if (t < q.fromMs || t > q.toMs || rig[i] !== q.rig) continue;
        if (q.device !== undefined && device[i] !== q.device) continue;
        hits.push(i);
      }
      if (hits.length === 0) continue;
      const values = [];
      for (const c of wanted) values.push(await scan.readColumn({ column: c, ...range }));
      for (const i of hits) {
        const row: Row = { ts: Number(ts[i]), rig: q.rig, device: String(device[i]) };
        for (const c of q.columns) row[c] = null;
        for (let k = 0; k < wanted.length; k++) row[wanted[k]] = toCell(values[k][i]);
        rows.push(row);
      }
    }
    return rows;
  });
}
