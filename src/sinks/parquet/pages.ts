// DATA_PAGE_V2 pages as hyparquet-writer's writeDataPageV2 lays them out (header, levels, compressed
// values), for the chunk writers that build levels and values from typed columns themselves.

import { ByteWriter, type ParquetWriter, type Writer } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';

/** A page compressor as the writer holds them (undefined: the page is stored as is). */
export type Compress = ((input: Uint8Array) => Uint8Array) | undefined;
/** The writer's codec names (its own hyparquet version's type). */
export type CompressionCodec = ParquetWriter['codec'];
/** What the writer keeps per column chunk until the footer (its page indexes). */
export type ChunkResult = ParquetWriter['pendingIndexes'][number];
export type ColumnChunk = ChunkResult['chunk'];

/** The page size the writer uses when none is given, bytes (values of one page, before compression). */
export const PAGE_SIZE = 1_048_576;

/** One page's place in its column chunk (an offset-index entry). */
export interface PageLocation {
  offset: bigint;
  compressed_page_size: number;
  first_row_index: bigint;
}

/**
 * A ByteWriter whose single bytes go straight into a Uint8Array (the bit-packing of levels and
 * dictionary indexes writes byte by byte); reused page after page.
 */
export class FastByteWriter extends ByteWriter {
  #bytes = new Uint8Array(this.buffer);

  override ensure(size: number): void {
    if (this.index + size > this.buffer.byteLength) {
      super.ensure(size);
      this.#bytes = new Uint8Array(this.buffer);
    }
  }

  override appendUint8(value: number): void {
    this.ensure(1);
    this.#bytes[this.index++] = value;
    this.offset++;
  }

  /** Forgets what was written (the buffer is kept). */
  reset(): void {
    this.index = 0;
    this.offset = 0;
  }
}

/**
 * Definition levels that are all `level` (0 or 1), as writeRleBitPackedHybrid encodes them with bit
 * width 1: one RLE run from 8 values on, else one bit-packed group of 8. Returns the bytes written.
 */
export function writeConstantLevels(writer: Writer, level: 0 | 1, count: number): number {
  const start = writer.offset;
  if (count >= 8) {
    writer.appendVarInt(count << 1);
    writer.appendUint8(level);
  } else if (count > 0) {
    writer.appendVarInt(3); // one bit-packed group
    writer.appendUint8(level === 1 ? (1 << count) - 1 : 0);
  }
  return writer.offset - start;
}

/** What a page holds: its rows (= values, columns are flat), nulls, encoding, and encoded bytes. */
export interface PageParts {
  readonly count: number;
  readonly nulls: number;
  readonly encoding: 'PLAIN' | 'RLE_DICTIONARY';
  /** Definition levels, RLE/bit-packed (empty for a required column). */
  readonly levels: Uint8Array;
  /** The non-null values, encoded, before compression. */
  readonly values: Uint8Array;
}

/** Writes one DATA_PAGE_V2 at the writer's offset; returns its uncompressed size with the header. */
export function writePage(writer: Writer, compress: Compress, page: PageParts): number {
  const compressed = compress?.(page.values) ?? page.values;
  const headerStart = writer.offset;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: page.levels.length + page.values.length,
    compressed_page_size: page.levels.length + compressed.length,
    data_page_header_v2: {
      num_values: page.count,
      num_nulls: page.nulls,
      num_rows: page.count,
      encoding: page.encoding,
      definition_levels_byte_length: page.levels.length,
      repetition_levels_byte_length: 0,
      is_compressed: true, // hyparquet-writer marks every page so, the uncompressed codec included
    },
  });
  const headerSize = writer.offset - headerStart;
  writer.appendBytes(page.levels);
  writer.appendBytes(compressed);
  return headerSize + page.levels.length + page.values.length;
}
