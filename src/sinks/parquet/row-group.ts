// One row group of a closed buffer into hyparquet-writer's ParquetWriter: what its write() does for
// flat columns, byte for byte, but from typed columns and without its per-cell passes.

import type { DecodedArray } from 'hyparquet';
import type { ParquetWriter } from 'hyparquet-writer';
import { writeColumn } from 'hyparquet-writer/src/column.js';
import { encodeNestedValues } from 'hyparquet-writer/src/dremel.js';
import { schemaPathResolver } from 'hyparquet-writer/src/schema.js';
import type { ColumnBuffer } from './buffer.ts';
import { type ColumnEncoder, DictionaryChunkWriter } from './dictionary-chunk.ts';
import { DoubleChunkWriter } from './double-chunk.ts';
import { type ChunkResult, PAGE_SIZE } from './pages.ts';
import type { ColumnSpec } from './schema.ts';

// Statistics (min/max) only where readers prune with them: time, rig and device. Skipping them on
// the measurement columns halves the encode time.
const STATS_COLUMNS = new Set(['ts', 'rig', 'device']);

type SchemaPath = ReturnType<ReturnType<typeof schemaPathResolver>>;

/**
 * Writes the row groups of one file. Column cells are gathered in file order into arrays reused
 * across groups. Nullable doubles go to DoubleChunkWriter; time, strings and integers to
 * DictionaryChunkWriter, or, where the writer's rule wants plain values, to its own writeColumn (as
 * the Float64Array when no cell is null: a timestamp column takes epoch ms numbers too).
 */
export class RowGroupWriter {
  readonly #pq: ParquetWriter;
  readonly #buffer: ColumnBuffer;
  readonly #specs: readonly ColumnSpec[];
  readonly #paths: SchemaPath[];
  readonly #doubles: DoubleChunkWriter;
  readonly #dictionaries: DictionaryChunkWriter;
  readonly #numbers: Float64Array[];
  readonly #strings: (string | null)[][];

  /** `pq` was made with the buffer's schema (parquetSchemaOf) and `codec`. */
  constructor(pq: ParquetWriter, buffer: ColumnBuffer, rowGroupRows: number) {
    this.#pq = pq;
    this.#buffer = buffer;
    this.#specs = buffer.spec.columns;
    const resolve = schemaPathResolver(pq.schema);
    this.#paths = this.#specs.map((c) => resolve([c.name]));
    this.#doubles = new DoubleChunkWriter(pq);
    this.#dictionaries = new DictionaryChunkWriter(pq);
    this.#numbers = this.#specs.map((c) => new Float64Array(c.type === 'string' ? 0 : rowGroupRows));
    this.#strings = this.#specs.map((c) =>
      c.type === 'string' ? new Array<string | null>(rowGroupRows).fill(null) : [],
    );
  }

  /**
   * Writes rows `order[from, to)` as one row group, then calls the writer's flush (returned: await it
   * before the next group).
   */
  write(order: Uint32Array, from: number, to: number): void | Promise<void> {
    const pq = this.#pq;
    const writer = pq.writer;
    const n = to - from;
    const groupStartOffset = writer.offset;
    const chunks: ChunkResult['chunk'][] = [];
    for (let k = 0; k < this.#specs.length; k++) {
      const result = this.#column(k, order, from, n);
      chunks.push(result.chunk);
      pq.pendingIndexes.push(result);
    }
    let totalByteSize = 0n;
    for (const { meta_data } of chunks) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
    pq.num_rows += BigInt(n);
    pq.row_groups.push({
      columns: chunks,
      total_byte_size: totalByteSize,
      num_rows: BigInt(n),
      total_compressed_size: BigInt(writer.offset - groupStartOffset),
    });
    return writer.flush?.();
  }

  #column(k: number, order: Uint32Array, from: number, n: number): ChunkResult {
    const spec = this.#specs[k];
    const writer = this.#pq.writer;
    if (spec.type === 'double' && spec.nullable) {
      const values = this.#numbers[k];
      const nulls = this.#buffer.gatherNumbers(k, order, from, n, values);
      return this.#doubles.write(writer, spec.name, values, n, nulls);
    }
    const path = this.#paths[k];
    const column: ColumnEncoder = {
      columnName: spec.name,
      element: path[path.length - 1].element,
      schemaPath: path.map((node) => node.element),
      codec: this.#pq.codec,
      compressors: this.#pq.compressors,
      stats: STATS_COLUMNS.has(spec.name),
      statisticsTruncateLength: this.#pq.statisticsTruncateLength,
      pageSize: PAGE_SIZE,
      dictionarySize: undefined,
      columnIndex: false,
      offsetIndex: true,
      // Plain encoding for measurements: the dictionary attempt costs more than it saves on floats.
      encoding: spec.type === 'double' ? 'PLAIN' : undefined,
      bloomFilter: undefined,
    };
    if (spec.type === 'string') {
      const cells = this.#gatherStrings(k, order, from, n);
      const chunk = this.#dictionaries.write(column, cells, n);
      return chunk ?? writeColumn({ writer, column, pageData: encodeNestedValues(path, cells) });
    }
    const full = this.#numbers[k];
    const cells = n === full.length ? full : full.subarray(0, n);
    const nulls = this.#buffer.gatherNumbers(k, order, from, n, cells);
    const chunk = spec.type === 'double' ? null : this.#dictionaries.write(column, cells, n);
    return (
      chunk ?? writeColumn({ writer, column, pageData: encodeNestedValues(path, withNulls(cells, nulls)) })
    );
  }

  #gatherStrings(k: number, order: Uint32Array, from: number, n: number): (string | null)[] {
    let values = this.#strings[k];
    if (values.length !== n) values = new Array<string | null>(n);
    this.#buffer.gatherStrings(k, order, from, n, values);
    return values;
  }
}

/** The cells as writeColumn takes them: the Float64Array itself when no cell is null. */
function withNulls(cells: Float64Array, nulls: number): DecodedArray {
  if (nulls === 0) return cells;
  const out: (number | null)[] = [];
  for (let i = 0; i < cells.length; i++) out.push(Number.isNaN(cells[i]) ? null : cells[i]);
  return out;
}
