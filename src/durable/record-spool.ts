// A spool of typed records over the durable append log: each record one line in the caller's own
// versioned encoding, read back in order; lines this version cannot decode are counted, never returned.
// Both Valkey sinks spool through it while Valkey is away.

import { AppendLog, type AppendLogOptions, type LogCursor } from './append-log.ts';

/** How records become lines and back; `decode` returns null for a line it does not know. */
export interface SpoolCodec<T> {
  encode(record: T): string;
  decode(line: string): T | null;
}

/** Records read from the head of the spool; commit `cursor` once they are safely elsewhere. */
export interface SpoolRead<T> {
  readonly items: readonly T[];
  /** Lines that were not records of this version (skipped). */
  readonly corrupt: number;
  readonly cursor: LogCursor;
}

export class RecordSpool<T> {
  readonly #log: AppendLog;
  readonly #codec: SpoolCodec<T>;

  private constructor(log: AppendLog, codec: SpoolCodec<T>) {
    this.#log = log;
    this.#codec = codec;
  }

  /** Opens (creating) the directory and recovers what an earlier run left. Throws RT_OUTPUT_WRITE. */
  static async open<T>(options: AppendLogOptions, codec: SpoolCodec<T>): Promise<RecordSpool<T>> {
    return new RecordSpool(await AppendLog.open(options), codec);
  }

  /** Records appended and not yet committed. */
  get pending(): number {
    return this.#log.pendingRecords;
  }

  /** Records lost to the byte bound or to a failing disk. */
  get dropped(): number {
    return this.#log.droppedRecords;
  }

  /** The current disk failure, if any. */
  get lastError(): string | null {
    return this.#log.lastError?.message ?? null;
  }

  append(record: T): void {
    this.#log.append(this.#codec.encode(record));
  }

  /** Up to `max` records from the head, in order. */
  async read(max: number): Promise<SpoolRead<T>> {
    const { records, cursor } = await this.#log.read(max);
    const items: T[] = [];
    for (const line of records) {
      const item = this.#codec.decode(line);
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
