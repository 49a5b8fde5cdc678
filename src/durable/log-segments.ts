// Segment files of an AppendLog: their names, and the recovery scan on open that counts the records a
// previous run left, cuts a torn last line (a crash mid-write) and removes empty files.

import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../core/errors.ts';

/** One segment file and how far it has been consumed. */
export interface Segment {
  readonly index: number;
  readonly file: string;
  /** Bytes written (complete records only). */
  bytes: number;
  records: number;
  consumedBytes: number;
  consumedRecords: number;
}

const SCAN_CHUNK_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 1 << 22;
const NL = 0x0a;

/** RT_OUTPUT_WRITE for `what` on `path`, with the system error code as the reason. */
export function failure(what: string, path: string, cause: unknown): RigtuneError {
  const reason = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : cause;
  return new RigtuneError('RT_OUTPUT_WRITE', `${what} ${path}: ${String(reason)}`, { file: path }, { cause });
}

/** `<name>-<index, 16 digits>.ndjson`: names sort in append order. */
export function segmentName(name: string, index: number): string {
  return `${name}-${String(index).padStart(16, '0')}.ndjson`;
}

/**
 * Up to `maxRecords` whole records of `seg` from its consumed offset, and the offset after the last
 * one returned. Reads 4 MiB at a time (the rest of the segment for a longer record). Throws RT_OUTPUT_WRITE.
 */
export async function readRecords(
  dir: string,
  seg: Segment,
  maxRecords: number,
): Promise<{ records: string[]; offset: number }> {
  const path = join(dir, seg.file);
  const left = seg.bytes - seg.consumedBytes;
  let size = Math.min(READ_CHUNK_BYTES, left);
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    try {
      const handle = await open(path, 'r');
      try {
        await handle.read(buf, 0, size, seg.consumedBytes);
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw failure('cannot read', path, err);
    }
    const records: string[] = [];
    let start = 0;
    while (records.length < maxRecords) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0 || nl >= size) break;
      records.push(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    if (records.length > 0 || size === left) return { records, offset: seg.consumedBytes + start };
    size = left;
  }
}

/** Bytes through the last newline of the file, and the newlines before that point. */
async function countComplete(path: string): Promise<{ bytes: number; records: number; size: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    let records = 0;
    let lastEnd = 0;
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, size - pos), pos);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < bytesRead; i = buf.indexOf(0x0a, i + 1)) {
        records += 1;
        lastEnd = pos + i + 1;
      }
      pos += bytesRead;
    }
    return { bytes: lastEnd, records, size };
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` if needed and returns the segments of log `name` in append order, each cut after its
 * last complete record. Throws RT_OUTPUT_WRITE when the directory or a file cannot be used.
 */
export async function scanSegments(dir: string, name: string): Promise<Segment[]> {
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{16})\\.ndjson$`);
  const segments: Segment[] = [];
  try {
    await mkdir(dir, { recursive: true });
    const files = (await readdir(dir)).filter((f) => pattern.test(f)).sort();
    for (const file of files) {
      const path = join(dir, file);
      const { bytes, records, size } = await countComplete(path);
      if (records === 0) {
        await rm(path, { force: true });
        continue;
      }
      if (bytes < size) {
        const handle = await open(path, 'r+');
        try {
          await handle.truncate(bytes);
          await handle.datasync();
        } finally {
          await handle.close();
        }
      }
      const index = Number((pattern.exec(file) as RegExpExecArray)[1]);
      segments.push({ index, file, bytes, records, consumedBytes: 0, consumedRecords: 0 });
    }
  } catch (err) {
    const reason = typeof err === 'object' && err !== null && 'code' in err ? err.code : err;
    throw new RigtuneError(
      'RT_OUTPUT_WRITE',
      `cannot open the log in ${dir}: ${String(reason)}`,
      { file: dir },
      { cause: err },
    );
  }
  return segments;
}
