// Where `rigtune score` writes lines: an atomic output file or stdout (waiting for 'drain').

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AtomicFileWriter } from '../../durable/index.ts';

export interface LineSink {
  write(line: string): Promise<void>;
}

type Stdout = { write(chunk: string): unknown; once?: (event: 'drain', cb: () => void) => unknown };

/** A sink for `path` (registered in `writers` for commit/abort) or for stdout when `path` is undefined. */
export async function openSink(
  path: string | undefined,
  stdout: Stdout,
  writers: AtomicFileWriter[],
): Promise<LineSink> {
  if (path === undefined) {
    return {
      async write(line) {
        if (stdout.write(line) === false && stdout.once)
          await new Promise<void>((done) => stdout.once?.('drain', done));
      },
    };
  }
  await mkdir(dirname(path), { recursive: true }); // `--out out/x.ndjson` on a fresh clone
  const writer = await AtomicFileWriter.open(path);
  writers.push(writer);
  return { write: (line) => writer.write(line) };
}
