// Column layout of a trace: which column is the time, which are rig and device, which are numeric.
// Shared by every format so the header rules (aliases, duplicates, missing time) are the same.

import { RigtuneError } from '../core/errors.ts';
import { TIME_COLUMN_NAMES } from './time.ts';

/** Positions (0-based) of the special columns and the numeric ones, in file order. */
export interface ColumnLayout {
  readonly timeIndex: number;
  /** Name of the time column as written in the file (`ts`, `time` or `timestamp`). */
  readonly timeName: string;
  /** -1 when the file has no `rig` column. */
  readonly rigIndex: number;
  /** -1 when the file has no `device` column. */
  readonly deviceIndex: number;
  readonly numericNames: readonly string[];
  readonly numericIndexes: readonly number[];
  /** Number of columns in all. */
  readonly columnCount: number;
}

/**
 * Classifies column names. Throws RT_INPUT_COLUMN for an empty or duplicate name or for two time
 * columns, RT_INPUT_TIME when there is no time column (`ts`, `time` or `timestamp`).
 */
export function layoutColumns(names: readonly string[], file: string, line?: number): ColumnLayout {
  const seen = new Set<string>();
  let timeIndex = -1;
  let rigIndex = -1;
  let deviceIndex = -1;
  const numericNames: string[] = [];
  const numericIndexes: number[] = [];
  names.forEach((name, i) => {
    const where = { file, line, column: i + 1, field: name };
    if (name === '') throw new RigtuneError('RT_INPUT_COLUMN', `column ${i + 1} has no name`, where);
    if (seen.has(name)) throw new RigtuneError('RT_INPUT_COLUMN', `duplicate column '${name}'`, where);
    seen.add(name);
    if (TIME_COLUMN_NAMES.includes(name)) {
      if (timeIndex >= 0) {
        const msg = `two time columns, '${names[timeIndex]}' and '${name}'; keep one`;
        throw new RigtuneError('RT_INPUT_COLUMN', msg, where);
      }
      timeIndex = i;
    } else if (name === 'rig') rigIndex = i;
    else if (name === 'device') deviceIndex = i;
    else {
      numericNames.push(name);
      numericIndexes.push(i);
    }
  });
  if (timeIndex < 0) {
    const msg = `no time column (one of ${TIME_COLUMN_NAMES.join(', ')}); is the header row missing?`;
    throw new RigtuneError('RT_INPUT_TIME', msg, { file, line, field: 'ts' });
  }
  const timeName = names[timeIndex];
  return {
    timeIndex,
    timeName,
    rigIndex,
    deviceIndex,
    numericNames,
    numericIndexes,
    columnCount: names.length,
  };
}

/** Rejects a record whose time does not increase strictly within its (rig, device). */
export class TimeOrderCheck {
  readonly #file: string;
  readonly #field: string;
  readonly #last = new Map<string, { ts: number; line: number }>();

  constructor(file: string, field: string) {
    this.#file = file;
    this.#field = field;
  }

  /** Throws RT_INPUT_TIME naming both lines and timestamps (epoch ms) when `ts` is not increasing. */
  check(rig: string, device: string, ts: number, line: number): void {
    const key = `${rig}\u0000${device}`;
    const prev = this.#last.get(key);
    if (prev !== undefined && !(ts > prev.ts)) {
      const msg =
        `time does not increase for rig '${rig}' device '${device}': ${ts} ms at line ${line} ` +
        `after ${prev.ts} ms at line ${prev.line}`;
      throw new RigtuneError('RT_INPUT_TIME', msg, {
        file: this.#file,
        line,
        field: this.#field,
        rig,
        device,
      });
    }
    this.#last.set(key, { ts, line });
  }
}
