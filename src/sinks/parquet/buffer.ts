// In-memory rows of one dataset before they become a file: typed columns (numbers in Float64Arrays with
// NaN for null, 8 bytes a cell; strings shared with the batch), split at close into one segment per UTC day.

import type { RigTickBatch } from '../../core/sink.ts';
import { orderRows } from './order.ts';
import { type Cell, CHUNK_ROWS, type DatasetSpec, type RowTarget } from './schema.ts';

/** The rows of one UTC day in a closed buffer, ordered by rig, device, then time. */
export interface Segment {
  /** UTC date of the rows, `YYYY-MM-DD` (the partition folder is `date=<date>`). */
  readonly date: string;
  /** Smallest `ts` of the rows, epoch ms (names the file). */
  readonly startMs: number;
  /** Row indexes into the buffer, in file order. */
  readonly order: Uint32Array;
}

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const SHIFT = Math.log2(CHUNK_ROWS);
const MASK = CHUNK_ROWS - 1;

/** CHUNK_ROWS rows of every column of a dataset, column after column. */
interface Chunk {
  readonly num: Float64Array;
  readonly str: (string | null)[];
}

/**
 * Chunks of one dataset's closed and written buffers, kept for the next buffers (at most `maxChunks`),
 * so a steady stream of files allocates no new memory: no allocation, no copy on growth, and none of
 * the garbage collections that large fresh buffers trigger.
 */
export class ChunkPool {
  readonly #free: Chunk[] = [];
  readonly #maxChunks: number;

  /** `maxChunks`: most chunks kept (the sink keeps about a quarter of a full buffer's). */
  constructor(maxChunks: number) {
    this.#maxChunks = maxChunks;
  }

  take(numeric: number, strings: number): Chunk {
    const chunk = this.#free.pop();
    if (chunk !== undefined) return chunk;
    return {
      num: new Float64Array(numeric * CHUNK_ROWS),
      str: new Array<string | null>(strings * CHUNK_ROWS).fill(null),
    };
  }

  give(chunk: Chunk): void {
    if (this.#free.length >= this.#maxChunks) return;
    chunk.str.fill(null); // let the batches' strings go
    this.#free.push(chunk);
  }
}

/** The chunks a dataset writes into, row by row (RowTarget). */
class Columns implements RowTarget {
  readonly chunks: Chunk[] = [];
  num: Float64Array = new Float64Array(0);
  str: (string | null)[] = [];
  /** Rows written, including those of a batch not yet committed. */
  end = 0;
  readonly #numeric: number;
  readonly #strings: number;
  readonly #pool: ChunkPool;

  constructor(numeric: number, strings: number, pool: ChunkPool) {
    this.#numeric = numeric;
    this.#strings = strings;
    this.#pool = pool;
  }

  next(): number {
    const p = this.end & MASK;
    if (p === 0) {
      const chunk = this.#pool.take(this.#numeric, this.#strings);
      this.chunks.push(chunk);
      this.num = chunk.num;
      this.str = chunk.str;
    }
    this.end++;
    return p;
  }

  /** Forgets rows from `rows` on (a batch that threw half-way). */
  truncate(rows: number): void {
    this.end = rows;
    const keep = Math.ceil(rows / CHUNK_ROWS);
    while (this.chunks.length > keep) this.#pool.give(this.chunks.pop() as Chunk);
    const last = this.chunks.at(-1);
    this.num = last?.num ?? new Float64Array(0);
    this.str = last?.str ?? [];
  }
}

/** Rows of one dataset, appended batch by batch; read by index once closed. */
export class ColumnBuffer {
  readonly spec: DatasetSpec;
  /** Per column: its slot among the numeric or the string columns (see RowTarget). */
  readonly #slot: number[];
  readonly #isString: boolean[];
  readonly #columns: Columns;
  /** First row of each batch (the rows of one batch share a rig). */
  readonly #batchStarts: number[] = [];
  rows = 0;
  batches = 0;
  /** Estimated memory held, bytes. */
  bytes = 0;
  /** Service-clock time of the first row, epoch ms; null while empty. */
  openedMs: number | null = null;

  /** `pool`: where chunks come from and go back to on `release()` (one pool per dataset). */
  constructor(spec: DatasetSpec, pool: ChunkPool = new ChunkPool(0)) {
    this.spec = spec;
    let numeric = 0;
    let strings = 0;
    this.#isString = spec.columns.map((c) => c.type === 'string');
    this.#slot = this.#isString.map((isString) => (isString ? strings++ : numeric++));
    this.#columns = new Columns(numeric, strings, pool);
  }

  /**
   * Appends the batch's rows of this dataset; returns how many. A malformed batch (a programming
   * error upstream) throws with the buffer left as it was, so the columns stay aligned.
   */
  append(batch: RigTickBatch, nowMs: number): number {
    let n: number;
    try {
      n = this.spec.append(batch, this.#columns);
    } catch (err) {
      this.#columns.truncate(this.rows);
      throw err;
    }
    if (n === 0) return 0;
    if (this.openedMs === null) this.openedMs = nowMs;
    this.#batchStarts.push(this.rows);
    this.rows += n;
    this.batches += 1;
    // 8 bytes per cell, plus a pointer per string cell (the strings themselves are the batch's).
    this.bytes += n * this.#slot.length * 8;
    return n;
  }

  /** Hands the chunks back to the pool; the buffer is empty afterwards (call once its files are written). */
  release(): void {
    this.#columns.truncate(0);
    this.#batchStarts.length = 0;
    this.rows = 0;
    this.batches = 0;
    this.bytes = 0;
    this.openedMs = null;
  }

  /** Cell `column` of row `row`: numbers (timestamps as epoch ms), strings or null. */
  cell(column: number, row: number): Cell {
    const chunk = this.#columns.chunks[row >>> SHIFT];
    const at = (this.#slot[column] << SHIFT) + (row & MASK);
    if (this.#isString[column]) return chunk.str[at] ?? null;
    const v = chunk.num[at];
    return Number.isNaN(v) ? null : v;
  }

  /**
   * Copies numeric column `column` of rows `order[from, from + n)` into `out[0, n)` (NaN = null);
   * returns how many are null.
   */
  gatherNumbers(column: number, order: Uint32Array, from: number, n: number, out: Float64Array): number {
    if (this.#isString[column]) throw new TypeError(`column ${column} holds strings`);
    const chunks = this.#columns.chunks;
    const base = this.#slot[column] << SHIFT;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const row = order[from + i];
      const v = chunks[row >>> SHIFT].num[base + (row & MASK)];
      out[i] = v;
      if (Number.isNaN(v)) nulls++;
    }
    return nulls;
  }

  /** Copies string column `column` of rows `order[from, from + n)` into `out[0, n)`. */
  gatherStrings(column: number, order: Uint32Array, from: number, n: number, out: (string | null)[]): void {
    if (!this.#isString[column]) throw new TypeError(`column ${column} holds numbers`);
    const chunks = this.#columns.chunks;
    const base = this.#slot[column] << SHIFT;
    for (let i = 0; i < n; i++) {
      const row = order[from + i];
      out[i] = chunks[row >>> SHIFT].str[base + (row & MASK)] ?? null;
    }
  }

  /** Time (epoch ms) of row `row`. */
  ts(row: number): number {
    return this.#columns.chunks[row >>> SHIFT].num[row & MASK];
  }

  rig(row: number): string {
    return this.#columns.chunks[row >>> SHIFT].str[row & MASK] ?? '';
  }

  device(row: number): string {
    return this.#columns.chunks[row >>> SHIFT].str[CHUNK_ROWS + (row & MASK)] ?? '';
  }

  columnIndex(name: string): number {
    return this.spec.columns.findIndex((c) => c.name === name);
  }

  /**
   * The rows split by UTC day (oldest day first), each ordered by rig, then device, then time (rows
   * of one device keep arrival order when times tie). Counting sort, not a comparison sort: O(rows).
   */
  segments(): Segment[] {
    const n = this.rows;
    const ts = new Float64Array(n);
    const rigs = new Array<string>(n);
    const devices = new Array<string>(n);
    const chunks = this.#columns.chunks;
    for (let c = 0; c * CHUNK_ROWS < n; c++) {
      const { num, str } = chunks[c];
      const base = c * CHUNK_ROWS;
      const m = Math.min(CHUNK_ROWS, n - base);
      ts.set(num.subarray(0, m), base);
      for (let j = 0; j < m; j++) {
        rigs[base + j] = str[j] ?? '';
        devices[base + j] = str[CHUNK_ROWS + j] ?? '';
      }
    }
    return orderRows(ts, rigs, devices, n, this.#batchStarts).map((day) => ({
      date: utcDate(day.dayStartMs),
      startMs: day.startMs,
      order: day.order,
    }));
  }
}
