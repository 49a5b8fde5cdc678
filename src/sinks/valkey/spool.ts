// The sink's disk spool: items as `[1, keys, args]` lines in the durable append log, read back in
// order as items (lines this version cannot read are counted, never sent).

import { AppendLog, type LogCursor } from '../../durable/index.ts';
import { fromSpoolLine, type Item, toSpoolLine } from './encode.ts';
import type { ValkeyOptions } from './options.ts';

/** Items read from the head of the spool; commit `cursor` once they are written. */
export interface SpoolRead {
  readonly items: readonly Item[];
  /** Lines that were not items (skipped). */
  readonly corrupt: number;
  readonly cursor: LogCursor;
}

export class Spool {
  readonly #log: AppendLog;

  private constructor(log: AppendLog) {
    this.#log = log;
  }

  /** Opens (creating) `spool_dir` and recovers a spool left by an earlier run. Throws RT_OUTPUT_WRITE. */
  static async open(o: ValkeyOptions): Promise<Spool> {
    const log = await AppendLog.open({
      dir: o.spool_dir,
      name: 'valkey',
      segmentMaxBytes: o.spool_segment_bytes,
      maxBytes: o.spool_max_bytes,
      fsyncIntervalMs: o.spool_fsync_interval_ms,
      fsyncMaxRecords: o.spool_fsync_max_records,
    });
    return new Spool(log);
  }

  /** Items appended and not yet committed. */
  get pending(): number {
    return this.#log.pendingRecords;
  }

  /** Items lost to the byte bound or to a failing disk. */
  get dropped(): number {
    return this.#log.droppedRecords;
  }

  /** The current disk failure, if any. */
  get lastError(): string | null {
    return this.#log.lastError?.message ?? null;
  }

  append(item: Item): void {
    this.#log.append(toSpoolLine(item));
  }

  async read(max: number): Promise<SpoolRead> {
    const { records, cursor } = await this.#log.read(max);
    const items: Item[] = [];
    for (const line of records) {
      const item = fromSpoolLine(line);
      if (item !== null) items.push(item);
    }
    return { items, corrupt: records.length - items.length, cursor };
  }

  commit(cursor: LogCursor): Promise<void> {
    return this.#log.commit(cursor);
  }

  flush(): Promise<void> {
    return this.#log.flush();
  }

  close(): Promise<void> {
    return this.#log.close();
  }
}
