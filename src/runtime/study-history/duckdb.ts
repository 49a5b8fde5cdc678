// An in-memory DuckDB connection for reading the Parquet history: one query → its columns as JS arrays,
// DuckDB failures (corrupt file, missing column) turned into RigtuneErrors that name what was read.

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { RigtuneError } from '../../core/errors.ts';

/** Column name → values (numbers, strings, null) in row order. */
export type Columns = Record<string, unknown[]>;

/** A short-lived DuckDB instance; `close()` when done (idempotent). */
export class HistoryDb {
  readonly #db: DuckDBInstance;
  readonly #conn: DuckDBConnection;
  #closed = false;

  private constructor(db: DuckDBInstance, conn: DuckDBConnection) {
    this.#db = db;
    this.#conn = conn;
  }

  /** Opens an in-memory database (no file is created). */
  static async open(): Promise<HistoryDb> {
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    return new HistoryDb(db, await db.connect());
  }

  /**
   * Runs `sql` and returns its columns. Throws RT_INPUT_FORMAT (`what` and `file` say what was being
   * read) when DuckDB fails, with DuckDB's message and the error as cause.
   */
  async columns(sql: string, what: string, file: string): Promise<Columns> {
    try {
      const reader = await this.#conn.runAndReadAll(sql);
      return reader.getColumnsObjectJS() as Columns;
    } catch (err) {
      const reason = ((err as Error).message ?? String(err)).split('\n')[0];
      throw new RigtuneError('RT_INPUT_FORMAT', `cannot read ${what}: ${reason}`, { file }, { cause: err });
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#conn.closeSync();
    this.#db.closeSync();
  }
}
