// Which columns of a trace are snapshot fields, and a trace record as the snapshot the scorer reads:
// shared by `rigtune score`, `replay` and the backtester, so all three accept and reject the same files.

import { RigtuneError } from '../core/errors.ts';
import { emptySnapshot, isNumericField, type Snapshot } from '../core/snapshot.ts';
import type { TraceReader, TraceRecord } from './types.ts';

/**
 * The snapshot fields among the trace's numeric columns, in column order. Throws RT_INPUT_COLUMN
 * (file, line 1, column) for a column that is no snapshot field unless `ignoreUnknown`, or when no
 * field is left; `verb` names what the caller does with them ("score", "replay").
 */
export function traceSnapshotFields(reader: TraceReader, ignoreUnknown: boolean, verb = 'score'): string[] {
  const known = reader.numericColumns.filter(isNumericField);
  const unknown = reader.numericColumns.filter((c) => !isNumericField(c));
  if (unknown.length > 0 && !ignoreUnknown)
    throw new RigtuneError(
      'RT_INPUT_COLUMN',
      `column '${unknown[0]}' is not a snapshot field (see docs/scoring.md for the schema); ` +
        'rename it or pass --ignore-unknown',
      {
        file: reader.path,
        line: 1,
        column: reader.numericColumns.indexOf(unknown[0]) + 1,
        field: unknown[0],
      },
    );
  if (known.length === 0)
    throw new RigtuneError(
      'RT_INPUT_COLUMN',
      `no snapshot field to ${verb} (e.g. power_w, hashrate_5s, temp_core_c)`,
      { file: reader.path, line: 1 },
    );
  return known;
}

/** A trace record as a snapshot: `fields` copied (missing = null), every other field null. */
export function recordSnapshot(r: TraceRecord, fields: readonly string[]): Snapshot {
  const s = emptySnapshot(r.ts, r.rig, r.device) as unknown as Record<string, unknown>;
  for (const f of fields) s[f] = r.values[f] ?? null;
  return s as unknown as Snapshot;
}
