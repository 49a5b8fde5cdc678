// The collector's disk spool: entries as `[1, partition, seq, fields]` lines in the durable append log,
// read back in order (lines this version cannot read are counted, never sent).

import type { Logger } from 'pino';
import { RecordSpool } from '../../durable/index.ts';
import type { StreamWriterOptions } from './options.ts';

/** An entry on its way to partition `p`. */
export interface Outgoing {
  readonly p: number;
  readonly seq: number;
  readonly fields: readonly string[];
}

const VERSION = 1;

export function toSpoolLine(e: Outgoing): string {
  return JSON.stringify([VERSION, e.p, e.seq, e.fields]);
}

/** The entry of a spool line, or null when the line is not one. */
export function fromSpoolLine(line: string): Outgoing | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 4 || v[0] !== VERSION) return null;
  const [, p, seq, fields] = v;
  if (!Number.isInteger(p) || p < 0 || !Number.isSafeInteger(seq)) return null;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) return null;
  return { p, seq, fields };
}

/** The writer's spool: entries as `[1, partition, seq, fields]` lines, in order. */
export type EntrySpool = RecordSpool<Outgoing>;

/**
 * Opens the writer's spool, logging what an earlier run left (`spool_found`) or that it cannot be
 * opened (`spool_unavailable`: then spool null and the error's text; an outage will drop entries).
 */
export async function openSpoolLogged(
  o: Pick<StreamWriterOptions, 'spool_dir' | 'spool_max_bytes' | 'spool_fsync_interval_ms'>,
  log: Logger,
): Promise<{ spool: EntrySpool | null; error: string | null }> {
  try {
    const spool = await RecordSpool.open(
      {
        dir: o.spool_dir,
        name: 'collect',
        maxBytes: o.spool_max_bytes,
        fsyncIntervalMs: o.spool_fsync_interval_ms,
      },
      { encode: toSpoolLine, decode: fromSpoolLine },
    );
    if (spool.pending > 0)
      log.info(
        { code: 'spool_found', spooled: spool.pending },
        'Spooled entries from an earlier run will be sent first.',
      );
    return { spool, error: null };
  } catch (err) {
    log.error({ code: 'spool_unavailable', err }, 'The spool cannot be opened; an outage will drop entries.');
    return { spool: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
