// The sink's disk spool: items as `[1, keys, args]` lines in the durable append log, read back in
// order as items (lines this version cannot read are counted, never sent).

import { RecordSpool } from '../../durable/index.ts';
import { fromSpoolLine, type Item, toSpoolLine } from './encode.ts';
import type { ValkeyOptions } from './options.ts';

/** The sink's spool: items as `[1, keys, args]` lines (encode.ts), in order. */
export type Spool = RecordSpool<Item>;

/** Opens (creating) `spool_dir` and recovers a spool left by an earlier run. Throws RT_OUTPUT_WRITE. */
export function openSpool(o: ValkeyOptions): Promise<Spool> {
  return RecordSpool.open(
    {
      dir: o.spool_dir,
      name: 'valkey',
      segmentMaxBytes: o.spool_segment_bytes,
      maxBytes: o.spool_max_bytes,
      fsyncIntervalMs: o.spool_fsync_interval_ms,
      fsyncMaxRecords: o.spool_fsync_max_records,
    },
    { encode: toSpoolLine, decode: fromSpoolLine },
  );
}
