// A dictionary-encoded column chunk (time, strings, integers), byte for byte as hyparquet-writer's
// writeColumn writes it, but found in runs: rows in file order repeat rig, device (and often the value).

import type { ParquetWriter, Writer } from 'hyparquet-writer';
import type { writeColumn } from 'hyparquet-writer/src/column.js';
import { writeDictionaryPage } from 'hyparquet-writer/src/dictionary.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { unconvert } from 'hyparquet-writer/src/unconvert.js';
import { type Dictionary, numberDictionary, stringDictionary } from './dictionary.ts';
import {
  type ChunkResult,
  type ColumnChunk,
  FastByteWriter,
  PAGE_SIZE,
  type PageLocation,
  writeConstantLevels,
  writePage,
} from './pages.ts';

/** What writeColumn takes to describe a column. */
export type ColumnEncoder = Parameters<typeof writeColumn>[0]['column'];
type Statistics = NonNullable<NonNullable<ColumnChunk['meta_data']>['statistics']>;
type Value = number | string;

/** Order of UTF-8 bytes (code points; lone surrogates as U+FFFD), as writeColumn orders string bounds. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i > 0) {
    const before = a.charCodeAt(i - 1);
    if (before >= 0xd800 && before <= 0xdbff) i--;
  }
  while (i < a.length && i < b.length) {
    const x = codePoint(a, i);
    const y = codePoint(b, i);
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function codePoint(s: string, i: number): number {
  const c = s.codePointAt(i) ?? 0xfffd;
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Min and max of the (distinct) values; the same bounds writeColumn finds over every cell. */
function statisticsOf(dictionary: readonly Value[], nulls: number): Statistics {
  let min: Value | undefined;
  let max: Value | undefined;
  for (const v of dictionary) {
    if (min === undefined || compare(v, min) < 0) min = v;
    if (max === undefined || compare(v, max) > 0) max = v;
  }
  // writeColumn's signed-zero rule: min 0 becomes -0, max stays +0.
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  return { min_value: min, max_value: max, null_count: BigInt(nulls) };
}

/**
 * Writes dictionary-encoded chunks: the dictionary page by the writer's writeDictionaryPage, the
 * index pages (RLE/bit-packed by its writeRleBitPackedHybrid) here. One instance per file writer.
 */
export class DictionaryChunkWriter {
  readonly #pq: ParquetWriter;
  readonly #levels = new FastByteWriter();
  readonly #page = new FastByteWriter();
  #packed = new Int32Array(0);

  constructor(pq: ParquetWriter) {
    this.#pq = pq;
  }

  /**
   * Writes a dictionary-encoded chunk of `cells[0, n)` (numbers with NaN for null, or strings) when
   * writeColumn would choose a dictionary for them, as it does for time, rig and device; returns
   * null, writing nothing, when it would not. Throws like writeColumn on a null in a required column
   * or a time that is not a whole number.
   */
  write(
    column: ColumnEncoder,
    cells: Float64Array | readonly (string | null)[],
    n: number,
  ): ChunkResult | null {
    const { element } = column;
    const type = element.type as string;
    const required = element.repetition_type === 'REQUIRED';
    const built =
      cells instanceof Float64Array
        ? numberDictionary(cells, n, type, required)
        : stringDictionary(cells, n, required);
    if (built === null) return null;
    const { dictionary, indexes, nonNull } = built;
    if (type === 'INT64') {
      // What the writer's conversion to bigint and its range check reject.
      for (const v of dictionary) {
        if (!Number.isInteger(v) || Math.abs(v as number) >= 2 ** 63) {
          throw new RangeError(`parquet INT64 value out of range: ${v}`);
        }
      }
    }
    const writer: Writer = this.#pq.writer;
    const offsetStart = writer.offset;
    const statistics = column.stats ? statisticsOf(dictionary, n - nonNull) : undefined;
    const dictionaryPageOffset = BigInt(writer.offset);
    let uncompressedSize = writeDictionaryPage(writer, column, unconvert(element, dictionary));

    const pages = indexPages(indexes, n, nonNull);
    const offsetIndex = pages.length > 2 ? { page_locations: [] as PageLocation[] } : undefined;
    const dataPageOffset = BigInt(writer.offset);
    for (let p = 0; p < pages.length; p += 2) {
      const pageOffset = writer.offset;
      uncompressedSize += this.#writeIndexPage(writer, column, built, pages[p], pages[p + 1], required);
      offsetIndex?.page_locations.push({
        offset: BigInt(pageOffset),
        compressed_page_size: writer.offset - pageOffset,
        first_row_index: BigInt(pages[p]),
      });
    }
    const chunk: ColumnChunk = {
      meta_data: {
        type: element.type as NonNullable<typeof element.type>,
        encodings: ['PLAIN', 'RLE_DICTIONARY'],
        path_in_schema: [column.columnName],
        codec: column.codec ?? 'UNCOMPRESSED',
        num_values: BigInt(n),
        total_compressed_size: BigInt(writer.offset - offsetStart),
        total_uncompressed_size: BigInt(uncompressedSize),
        data_page_offset: dataPageOffset,
        dictionary_page_offset: dictionaryPageOffset,
        statistics,
        encoding_stats: column.stats
          ? [
              { page_type: 'DICTIONARY_PAGE', encoding: 'PLAIN', count: 1 },
              { page_type: 'DATA_PAGE_V2', encoding: 'RLE_DICTIONARY', count: pages.length / 2 },
            ]
          : undefined,
      },
      file_offset: BigInt(offsetStart),
    };
    return { chunk, offsetIndex };
  }

  /** One RLE_DICTIONARY page of rows [from, to), as writeDataPageV2 writes it. */
  #writeIndexPage(
    writer: Writer,
    column: ColumnEncoder,
    built: Dictionary,
    from: number,
    to: number,
    required: boolean,
  ): number {
    const count = to - from;
    const all = built.indexes.subarray(from, to);
    const levels = this.#levels;
    levels.reset();
    let values = all;
    let nulls = 0;
    if (!required) {
      for (let i = 0; i < count; i++) if (all[i] < 0) nulls++;
      if (nulls === 0 || nulls === count) {
        writeConstantLevels(levels, nulls === 0 ? 1 : 0, count);
      } else {
        const defined = new Uint8Array(count);
        if (this.#packed.length < count) this.#packed = new Int32Array(count);
        let j = 0;
        for (let i = 0; i < count; i++) {
          defined[i] = all[i] < 0 ? 0 : 1;
          if (all[i] >= 0) this.#packed[j++] = all[i];
        }
        writeRleBitPackedHybrid(levels, defined, 1);
        values = this.#packed.subarray(0, j);
      }
      if (nulls === count) values = all.subarray(0, 0);
    }
    let maxValue = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > maxValue) maxValue = values[i];
    const bitWidth = Math.ceil(Math.log2(maxValue + 1));
    const page = this.#page;
    page.reset();
    page.appendUint8(bitWidth);
    writeRleBitPackedHybrid(page, values, bitWidth);
    return writePage(writer, column.compressors[column.codec], {
      count,
      nulls,
      encoding: 'RLE_DICTIONARY',
      levels: levels.getBytes(),
      values: page.getBytes(),
    });
  }
}

/** Index pages as flat [from, to, …]: a new page once the non-null indexes reach PAGE_SIZE (4 bytes each). */
function indexPages(indexes: Int32Array, n: number, nonNull: number): number[] {
  if (nonNull * 4 < PAGE_SIZE) return n === 0 ? [] : [0, n];
  const bounds: number[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const size = indexes[i] < 0 ? 0 : 4;
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
