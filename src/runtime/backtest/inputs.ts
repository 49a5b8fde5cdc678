// The files a backtest reads: trace files (a FILE, or every trace in a DIR) and label files (a FILE, or
// every `*.events.ndjson` / `*.labels.*` in a DIR); `<stem>.events.ndjson` belongs to trace `<stem>.*`.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RigtuneError } from '../../core/errors.ts';
import { type LabelInput, parseLabels } from '../../study/backtest/index.ts';

const TRACE_EXT = /\.(csv|ndjson|jsonl|parquet)$/i;
const LABEL_FILE = /(\.events\.ndjson|\.labels\.(ndjson|jsonl|csv))$/i;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `cannot read it (${(err as NodeJS.ErrnoException).code ?? err})`,
      {
        file: path,
      },
    );
  }
}

/**
 * Trace files of the `--data` arguments, in argument order (a DIR's files sorted by name): a DIR holds
 * every .csv/.ndjson/.jsonl/.parquet that is not a label file. Throws RT_INPUT_NOT_FOUND when a path
 * is missing or no trace is found.
 */
export function listTraces(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!isDir(p)) {
      out.push(p);
      continue;
    }
    const names = readdirSync(p)
      .filter((n) => TRACE_EXT.test(n) && !LABEL_FILE.test(n))
      .sort();
    out.push(...names.map((n) => join(p, n)));
  }
  if (out.length === 0)
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `no trace file (.csv, .ndjson, .parquet) in ${paths.join(', ')}`,
      {
        file: paths[0],
      },
    );
  return out;
}

/** Label files of the `--events` arguments: a FILE as is, a DIR's `*.events.ndjson` and `*.labels.*`. */
export function listLabelFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!isDir(p)) out.push(p);
    else
      out.push(
        ...readdirSync(p)
          .filter((n) => LABEL_FILE.test(n))
          .sort()
          .map((n) => join(p, n)),
      );
  }
  return out;
}

/** `dir/stem` of a trace or label path (the trace's extension, or `.events.ndjson`, removed). */
function stemOf(path: string): string {
  const name = basename(path);
  const stem = LABEL_FILE.test(name) ? name.replace(LABEL_FILE, '') : name.replace(TRACE_EXT, '');
  return join(resolve(dirname(path)), stem);
}

/**
 * Reads every label file. A file named `<stem>.events.ndjson` beside a trace `<stem>.<ext>` holds that
 * trace's ground truth (its labels are evaluated in that trace only); other files apply to every trace.
 * Throws what parseLabels throws (file:line), or RT_INPUT_NOT_FOUND.
 */
export function readLabels(labelFiles: readonly string[], traces: readonly string[]): LabelInput[] {
  const traceByStem = new Map<string, number>();
  traces.forEach((t, i) => {
    traceByStem.set(stemOf(t), i);
  });
  const out: LabelInput[] = [];
  for (const file of labelFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new RigtuneError(
        'RT_INPUT_NOT_FOUND',
        `cannot read label file ${file} (${(err as NodeJS.ErrnoException).code ?? err})`,
        { file },
      );
    }
    const paired = /\.events\.ndjson$/i.test(file) ? (traceByStem.get(stemOf(file)) ?? null) : null;
    for (const label of parseLabels(text, file)) out.push({ label, trace: paired });
  }
  return out;
}
