// In-memory rows of one dataset before they become a file: typed columns (numbers in Float64Arrays with
// NaN for null, 8 bytes a cell; strings shared with the batch), split at close into one segment per UTC day.

import type { RigTickBatch } from '../../core/sink.ts';
import type { Cell, CellSink, ColumnSpec, DatasetSpec } from './schema.ts';

const DAY_MS = 86_400_000;

/** A growable column of numbers; NaN marks null (sources never hand NaN: non-finite values are null). */
class NumberColumn implements CellSink {
  #data = new Float64Array(256);
  length = 0;

  push(value: Cell): void {
    if (this.length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    // Datasets hand numbers or null here (strings go to StringColumn).
    this.#data[this.length++] = (value as number | null) ?? Number.NaN;
  }

  at(i: number): number | null {
    const v = this.#data[i];
    return Number.isNaN(v) ? null : v;
  }

  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }

  /** The raw value (NaN = null), for hot loops. */
  raw(i: number): number {
    return this.#data[i];
  }
}

class StringColumn implements CellSink {
  readonly data: (string | null)[] = [];

  push(value: Cell): void {
    this.data.push(value === null ? null : String(value));
  }

  get length(): number {
    return this.data.length;
  }

  truncate(n: number): void {
    this.data.length = Math.min(this.data.length, n);
  }

  at(i: number): string | null {
    return this.data[i];
  }
}

type Column = NumberColumn | StringColumn;

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

/** Rows of one dataset, appended batch by batch; read by index once closed. */
export class ColumnBuffer {
  readonly spec: DatasetSpec;
  readonly #columns: Column[];
  rows = 0;
  batches = 0;
  /** Estimated memory held, bytes. */
  bytes = 0;
  /** Service-clock time of the first row, epoch ms; null while empty. */
  openedMs: number | null = null;

  constructor(spec: DatasetSpec) {
    this.spec = spec;
    this.#columns = spec.columns.map((c) => (c.type === 'string' ? new StringColumn() : new NumberColumn()));
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
      for (const c of this.#columns) c.truncate(this.rows);
      throw err;
    }
    if (n === 0) return 0;
    if (this.openedMs === null) this.openedMs = nowMs;
    this.rows += n;
    this.batches += 1;
    // 8 bytes per cell, plus a pointer per string cell (the strings themselves are the batch's).
    this.bytes += n * this.#columns.length * 8;
    return n;
  }

  /** Cell `column` of row `row`: numbers (timestamps as epoch ms), strings or null. */
  cell(column: number, row: number): Cell {
    return this.#columns[column].at(row);
  }

  /** Time (epoch ms) of row `row`. */
  ts(row: number): number {
    return (this.#columns[0] as NumberColumn).raw(row);
  }

  rig(row: number): string {
    return (this.#columns[1] as StringColumn).data[row] ?? '';
  }

  device(row: number): string {
    return (this.#columns[2] as StringColumn).data[row] ?? '';
  }

  columnIndex(name: string): number {
    return this.spec.columns.findIndex((c: ColumnSpec) => c.name === name);
  }

  /**
   * The rows split by UTC day (oldest day first), each ordered by rig, then device, then time (rows
   * of one device keep arrival order when times tie). Bucketing, not a comparison sort: O(rows).
   */
  segments(): Segment[] {
    const days = new Map<number, Map<string, Map<string, number[]>>>();
    for (let i = 0; i < this.rows; i++) {
      const day = Math.floor(this.ts(i) / DAY_MS);
      let rigs = days.get(day);
      if (rigs === undefined) {
        rigs = new Map();
        days.set(day, rigs);
      }
      const rig = this.rig(i);
      let devices = rigs.get(rig);
      if (devices === undefined) {
        devices = new Map();
        rigs.set(rig, devices);
      }
      const device = this.device(i);
      const list = devices.get(device);
      if (list === undefined) devices.set(device, [i]);
      else list.push(i);
    }
    const out: Segment[] = [];
    for (const day of [...days.keys()].sort((a, b) => a - b)) {
      const rigs = days.get(day) as Map<string, Map<string, number[]>>;
      const order: number[] = [];
      let startMs = Number.POSITIVE_INFINITY;
      for (const rig of [...rigs.keys()].sort()) {
        const devices = rigs.get(rig) as Map<string, number[]>;
        for (const device of [...devices.keys()].sort()) {
          const list = devices.get(device) as number[];
          if (!this.#isTimeOrdered(list)) list.sort((a, b) => this.ts(a) - this.ts(b) || a - b);
          for (const i of list) {
            order.push(i);
            if (this.ts(i) < startMs) startMs = this.ts(i);
          }
        }
      }
      out.push({ date: utcDate(day * DAY_MS), startMs, order: Uint32Array.from(order) });
    }
    return out;
  }

  #isTimeOrdered(list: readonly number[]): boolean {
    for (let k = 1; k < list.length; k++) if (this.ts(list[k]) < this.ts(list[k - 1])) return false;
    return true;
  }
}
