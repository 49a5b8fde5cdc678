// `rigtune score FILE`: scores a recorded trace (CSV, NDJSON or Parquet in the snapshot schema) and
// writes NDJSON ticks and rupture events, with a progress bar on terminals and a summary on stderr.

import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { runScore, type ScoreRunIo } from './run-score.ts';
import { ScoreSummary } from './summary.ts';

interface ScoreFlags {
  out?: string;
  events?: boolean;
  eventsOut?: string;
  ticks: boolean;
  ignoreUnknown?: boolean;
  detail?: boolean;
  quiet?: boolean;
}

export function scoreCommand(): Command {
  return new Command('score')
    .description('Score a recorded telemetry file: one NDJSON line per device sample, plus rupture events.')
    .argument(
      '<file>',
      'CSV, NDJSON or Parquet in the snapshot schema (time column ts: epoch s/ms or ISO 8601)',
    )
    .option('-o, --out <file>', 'write tick NDJSON here (atomically) instead of stdout')
    .option(
      '-e, --events',
      'also write one JSON line per detected rupture (ts_start, ts_detected, class, channels, hazard)',
    )
    .option('--events-out <file>', 'write events here instead of into the tick stream (implies --events)')
    .option('--no-ticks', 'do not write tick lines (with --events: an events-only stream)')
    .option('--ignore-unknown', 'ignore numeric columns that are not snapshot fields instead of failing')
    .option('--detail', 'include QFH metrics of every channel flag stream in each tick')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune score samples/gpu-rig.csv --out scores.ndjson --events-out events.ndjson\n' +
        '  rigtune score series.csv --events --no-ticks     # change points only',
    )
    .action(async (file: string, flags: ScoreFlags) => {
      const summary = new ScoreSummary();
      const bar = process.stderr.isTTY && !flags.quiet ? new SingleBar({ etaBuffer: 50 }) : null;
      const io: ScoreRunIo = {
        stdout: process.stdout,
        onTick: (t) => summary.addTick(t),
        onEvent: (e) => summary.addEvent(e),
        onProgress:
          bar === null
            ? undefined
            : (consumed, total) => {
                if (bar.getTotal() !== total) bar.start(total, 0);
                bar.update(consumed);
              },
      };
      try {
        await runScore(
          file,
          {
            out: flags.out,
            events: flags.events === true || flags.eventsOut !== undefined,
            eventsOut: flags.eventsOut,
            ticks: flags.ticks,
            ignoreUnknown: flags.ignoreUnknown === true,
            scorer: { channelDetail: flags.detail === true },
          },
          io,
        );
      } finally {
        bar?.stop();
      }
      if (!flags.quiet) process.stderr.write(summary.render());
    });
}
