// Test doubles for the replay: an in-memory trace reader (no file I/O, so a fake clock drives a whole
// replay deterministically) and a sink that keeps every batch it is given.

import { RigtuneError } from '../core/errors.ts';
import type { RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { TraceReader, TraceRecord } from '../traces/index.ts';

/** A reader over `rows` ([ts, rig, device, power_w]); `failAt` throws RT_INPUT_PARSE at that 1-based line. */
export function memoryReader(
  rows: ReadonlyArray<readonly [number, string, string, number]>,
  failAt?: number,
  columns: readonly string[] = ['power_w'],
): TraceReader {
  return {
    path: 'mem.csv',
    format: 'csv',
    numericColumns: columns,
    sizeBytes: 0,
    async *records(): AsyncIterable<TraceRecord> {
      let line = 1;
      for (const [ts, rig, device, power] of rows) {
        line += 1;
        if (line === failAt)
          throw new RigtuneError('RT_INPUT_PARSE', 'bad cell', { file: 'mem.csv', line, field: 'power_w' });
        yield { ts, rig, device, values: { power_w: power }, line };
      }
    },
  };
}

/** A sink that keeps every batch (tests read what the service published). */
export class CollectingSink implements Sink {
  readonly name = 'collector';
  readonly batches: RigTickBatch[] = [];
  closed = false;

  write(batch: RigTickBatch): void {
    this.batches.push(batch);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
}
