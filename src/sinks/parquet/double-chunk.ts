// A nullable DOUBLE column chunk (PLAIN, no statistics) written from a Float64Array with NaN for null,
// byte for byte as hyparquet-writer's writeColumn writes it, without its per-value passes.

import type { ParquetWriter, Writer } from 'hyparquet-writer';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import {
  type ChunkResult,
  type ColumnChunk,
  type Compress,
  type CompressionCodec,
  FastByteWriter,
  PAGE_SIZE,
  type PageLocation,
  writeConstantLevels,
  writePage,
} from './pages.ts';

// Float64Array bytes are the PLAIN bytes on a little-endian machine (x86, ARM); elsewhere a DataView
// writes them.
const IS_LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Writes nullable DOUBLE chunks. Scratch arrays are kept across chunks; one instance per file writer.
 * The output equals writeColumn's for an OPTIONAL DOUBLE column with `encoding: 'PLAIN'`,
 * `statistics: false`, no column index and no bloom filter (a test compares the bytes).
 */
export class DoubleChunkWriter {
  readonly #codec: CompressionCodec;
  readonly #compress: Compress;
  readonly #levelWriter = new FastByteWriter();
  #levels = new Uint8Array(0);
  #packed = new Float64Array(0);

  constructor(pq: ParquetWriter) {
    this.#codec = pq.codec;
    this.#compress = pq.compressors[pq.codec];
  }

  /** Writes column `name` from `values[0, n)` (NaN = null) at the writer's offset; `nulls` = NaN count. */
  write(writer: Writer, name: string, values: Float64Array, n: number, nulls: number): ChunkResult {
    const offsetStart = writer.offset;
    const cells = values.subarray(0, n);
    const pages = pageBounds(cells, nulls);
    const offsetIndex = pages.length > 2 ? { page_locations: [] as PageLocation[] } : undefined;
    const dataPageOffset = BigInt(writer.offset);
    let uncompressedSize = 0;
    for (let p = 0; p < pages.length; p += 2) {
      const pageOffset = writer.offset;
      uncompressedSize += this.#writePage(writer, cells, pages[p], pages[p + 1], nulls);
      offsetIndex?.page_locations.push({
        offset: BigInt(pageOffset),
        compressed_page_size: writer.offset - pageOffset,
        first_row_index: BigInt(pages[p]),
      });
    }
    const chunk: ColumnChunk = {
      meta_data: {
        type: 'DOUBLE',
        encodings: ['PLAIN'],
        path_in_schema: [name],
        codec: this.#codec,
        num_values: BigInt(n),
        total_compressed_size: BigInt(writer.offset - offsetStart),
        total_uncompressed_size: BigInt(uncompressedSize),
        data_page_offset: dataPageOffset,
      },
      file_offset: BigInt(offsetStart),
    };
    return { chunk, offsetIndex };
  }

  /** One page of rows [from, to); `chunkNulls` counts the nulls of the whole chunk. */
  #writePage(writer: Writer, cells: Float64Array, from: number, to: number, chunkNulls: number): number {
    const count = to - from;
    const levels = this.#levelWriter;
    levels.reset();
    let nulls = chunkNulls;
    if (count === cells.length && (nulls === 0 || nulls === count)) {
      writeConstantLevels(levels, nulls === 0 ? 1 : 0, count);
    } else {
      if (this.#levels.length < count) this.#levels = new Uint8Array(count);
      const defined = this.#levels.subarray(0, count);
      nulls = 0;
      for (let i = 0; i < count; i++) {
        const v = cells[from + i];
        defined[i] = Number.isNaN(v) ? 0 : 1;
        if (Number.isNaN(v)) nulls++;
      }
      writeRleBitPackedHybrid(levels, defined, 1);
    }
    return writePage(writer, this.#compress, {
      count,
      nulls,
      encoding: 'PLAIN',
      levels: levels.getBytes(),
      values: this.#plainBytes(cells, from, count, nulls),
    });
  }

  /** PLAIN bytes of the non-null values of rows [from, from + count). */
  #plainBytes(cells: Float64Array, from: number, count: number, nulls: number): Uint8Array {
    let packed = cells.subarray(from, from + count);
    if (nulls === count) return new Uint8Array(0);
    if (nulls > 0) {
      if (this.#packed.length < count) this.#packed = new Float64Array(count);
      let j = 0;
      for (let i = 0; i < count; i++) {
        const v = packed[i];
        if (!Number.isNaN(v)) this.#packed[j++] = v;
      }
      packed = this.#packed.subarray(0, j);
    }
    if (IS_LITTLE_ENDIAN) return new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
    const bytes = new Uint8Array(packed.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < packed.length; i++) view.setFloat64(i * 8, packed[i], true);
    return bytes;
  }
}

/**
 * Page bounds as flat [from, to, from, to, …]: a new page once the non-null values reach PAGE_SIZE
 * bytes (writeColumn's getPageBoundaries: 8 bytes a value, 0 a null).
 */
function pageBounds(cells: Float64Array, nulls: number): number[] {
  const n = cells.length;
  if ((n - nulls) * 8 < PAGE_SIZE) return n === 0 ? [] : [0, n];
  const bounds: number[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const size = Number.isNaN(cells[i]) ? 0 : 8;
    bytes += size;
    if (bytes >= PAGE_SIZE && i > start) {
      bounds.push(start, i);
      start = i;
      bytes = size;
    }
  }
  if (start < n) bounds.push(start, n);
  return bounds;
}
