// Encodes one segment of a closed buffer as a Parquet file: row group by row group (the event loop gets
// a turn between groups), streamed into an atomic temp file that is fsynced and renamed when complete.

import { setImmediate as nextTurn } from 'node:timers/promises';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { AtomicFileWriter } from '../../durable/index.ts';
import type { ColumnBuffer, Segment } from './buffer.ts';
import { RowGroupWriter } from './row-group.ts';
import { type ColumnSpec, type ColumnType, fileMetadata } from './schema.ts';
import { compressSnappy } from './snappy.ts';

/** How files are encoded. */
export interface EncodeOptions {
  readonly rowGroupRows: number;
  readonly codec: 'SNAPPY' | 'UNCOMPRESSED';
}

const ELEMENTS: Record<ColumnType, Omit<SchemaElement, 'name'>> = {
  // TIMESTAMP_MILLIS as converted type only: DuckDB reads it as TIMESTAMP (UTC wall time), hyparquet
  // and rigtune's trace reader as epoch ms. (A logical TIMESTAMP isAdjustedToUTC would be TIMESTAMPTZ.)
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  double: { type: 'DOUBLE' },
  int32: { type: 'INT32' },
};

/** The Parquet schema of a dataset's columns. */
export function parquetSchemaOf(columns: readonly ColumnSpec[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map(
      (c): SchemaElement => ({
        name: c.name,
        ...ELEMENTS[c.type],
        repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED',
      }),
    ),
  ];
}

/** A ByteWriter that hands its bytes to the temp file after each row group and at the end. */
class FileChunkWriter extends ByteWriter {
  readonly #file: AtomicFileWriter;

  constructor(file: AtomicFileWriter) {
    super(1 << 20);
    this.#file = file;
  }

  #drain(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    const chunk = this.getBytes().slice();
    this.index = 0;
    return this.#file.write(chunk);
  }

  async flush(): Promise<void> {
    await this.#drain();
    await nextTurn();
  }

  override finish(): Promise<void> {
    return this.#drain();
  }
}

/**
 * Encodes `segment` of `buffer` into `writer` (row group by row group, awaiting the writer's flush
 * after each), then the footer.
 */
export async function encodeSegment(
  writer: ByteWriter,
  buffer: ColumnBuffer,
  segment: Segment,
  options: EncodeOptions,
): Promise<void> {
  const pq = new ParquetWriter({
    writer,
    schema: parquetSchemaOf(buffer.spec.columns),
    codec: options.codec,
    compressors: { SNAPPY: compressSnappy },
    kvMetadata: fileMetadata(buffer.spec.name),
    createdBy: 'rigtune parquet sink',
    statisticsTruncateLength: 64,
  });
  const groups = new RowGroupWriter(pq, buffer, options.rowGroupRows);
  const n = segment.order.length;
  for (let from = 0; from < n; from += options.rowGroupRows) {
    await groups.write(segment.order, from, Math.min(n, from + options.rowGroupRows));
  }
  await pq.finish();
}

/** What writing a segment produced. */
export interface WrittenFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Writes `segment` of `buffer` to `path` (all or nothing). Throws RT_OUTPUT_WRITE (disk errors, from
 * durable/) after removing the temp file; the target never exists half-written.
 */
export async function writeSegmentFile(
  path: string,
  buffer: ColumnBuffer,
  segment: Segment,
  options: EncodeOptions,
): Promise<WrittenFile> {
  const file = await AtomicFileWriter.open(path);
  try {
    await encodeSegment(new FileChunkWriter(file), buffer, segment, options);
    const result = await file.commit();
    return { path, rows: segment.order.length, bytes: result.bytesWritten };
  } catch (err) {
    await file.abort();
    throw err;
  }
}
