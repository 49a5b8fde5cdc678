// `rigtune replay FILE --speed N`: a recorded trace through the running service (same ingest, scorers,
// sinks and HTTP API as `rigtune run`), paced by its own timestamps; flushes every sink and exits 0.

import { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import { RigtuneError } from '../core/errors.ts';
import { type ReplaySummary, replayConfig, startReplay } from '../runtime/replay.ts';
import { MAX_SPEED } from '../runtime/replay-clock.ts';
import { scanTrace } from '../runtime/replay-trace.ts';
import { WALL_CLOCK } from '../runtime/wall-clock.ts';
import { openTrace } from '../traces/index.ts';

interface ReplayFlags {
  readonly speed: string;
  readonly config?: string;
  readonly data?: string;
  readonly port?: string;
  readonly http: boolean;
  readonly ignoreUnknown?: boolean;
}

function usage(field: string, message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', `--${field}: ${message}`, { command: 'replay', field });
}

/** `max` or 0 → MAX_SPEED; else a positive number of trace seconds per wall second. */
export function parseSpeed(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'max') return MAX_SPEED;
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || n < 0)
    throw usage('speed', `a number ≥ 0 (0 or max: as fast as possible) is needed, got '${text}'`);
  return n === 0 ? MAX_SPEED : n;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw usage('port', `an integer 0..65535 is needed, got '${text}'`);
  return port;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Seconds as `1h02m03s` / `4m05s` / `6.5s`. */
function span(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return `${h > 0 ? `${h}h` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}m${String(s).padStart(2, '0')}s`;
}

/** The closing lines: what was replayed and what the service made of it. */
export function renderSummary(s: ReplaySummary, complete: boolean): string {
  const head = complete
    ? `rigtune replay: ${s.file}: replayed ${s.replayed} snapshots`
    : `rigtune replay: ${s.file}: stopped at ${iso(s.reachedMs)} after ${s.replayed} of ${s.records} snapshots`;
  return [
    `${head} of ${s.devices} device(s) on ${s.rigs} rig(s), ${iso(s.firstMs)} → ${iso(s.lastMs)}`,
    `  scored ${s.scores} samples (${s.unscored} not scored: identical re-reads or refused), ${s.events} rupture event(s)`,
    '  every sink flushed.',
    '',
  ].join('\n');
}

export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'Feed a recorded trace (CSV, NDJSON or Parquet, as `rigtune score` reads and `rigtune sim --out` ' +
        'writes) through the service — same ingest, scoring, sinks and HTTP API as `rigtune run` — paced ' +
        "by the trace's own timestamps ÷ speed; flushes every sink, prints a summary and exits 0.",
    )
    .argument('<file>', 'the trace (time column ts: epoch s/ms or ISO 8601; rig and device columns optional)')
    .option('--speed <n>', 'trace seconds per wall second; 0 or max: as fast as possible', '1')
    .option(
      '-c, --config <file>',
      'sinks, thresholds and HTTP address from this rigtune.yaml (its rigs are not polled)',
    )
    .option('--data <dir>', 'data directory without --config (Parquet history, audit log)', './data')
    .option('--port <n>', "HTTP port on 127.0.0.1 (with --config: instead of the file's http.port)")
    .option('--no-http', 'do not serve the HTTP API')
    .option('--ignore-unknown', 'ignore numeric columns that are not snapshot fields instead of failing')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune replay run.csv --speed 10\n  rigtune replay fleet.parquet --speed max --no-http\n' +
        '  rigtune replay run.ndjson --config rigtune.yaml --speed 60',
    )
    .action(async (file: string, flags: ReplayFlags, command: Command) => {
      const speed = parseSpeed(flags.speed);
      const port = flags.port === undefined ? undefined : portOf(flags.port);
      const dataGiven = command.getOptionValueSource('data') === 'cli';
      if (flags.config !== undefined && dataGiven)
        throw usage('data', "with --config the data directory is the file's data_dir");
      const loaded =
        flags.config === undefined
          ? replayConfig(flags.data ?? './data', port ?? 8080)
          : loadConfig(flags.config, { env: process.env });
      const config =
        flags.config === undefined || port === undefined
          ? loaded
          : { ...loaded, http: { ...loaded.http, port } };
      const scan = await scanTrace(await openTrace(file), { ignoreUnknown: flags.ignoreUnknown === true });
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const replay = await startReplay({
        scan,
        speed,
        config,
        configThresholds: flags.config !== undefined,
        http: flags.http,
        clock: WALL_CLOCK,
        logger,
        env: process.env,
        version: '0.1.0',
      });
      const traceS = (scan.lastMs - scan.firstMs) / 1000;
      const pace =
        speed === MAX_SPEED ? 'as fast as possible' : `at ${speed}× (about ${span(traceS / speed)})`;
      process.stderr.write(
        [
          `rigtune replay: ${file}: ${scan.records} snapshots, ${scan.rigs.size} rig(s), ${span(traceS)} of trace, ${pace}`,
          ...(replay.address === null ? [] : [`  serving ${replay.address.url} (API, /metrics, /healthz)`]),
          '  Ctrl-C stops early (sinks are flushed either way).',
          '',
        ].join('\n'),
      );
      let onSignal = () => {};
      const interrupted = new Promise<void>((resolve) => {
        onSignal = () => resolve();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      });
      try {
        await Promise.race([replay.ended, interrupted]);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        const summary = await replay.stop();
        process.stderr.write(renderSummary(summary, summary.replayed === summary.records));
      }
    });
}
