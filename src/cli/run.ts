// `rigtune run --config rigtune.yaml`: the long-running service. Logs go to stderr as JSON (pino);
// SIGINT/SIGTERM stop polling, flush every sink and close the HTTP server before exiting.

import { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import { startFromConfig } from '../runtime/from-config.ts';

const WALL_CLOCK = {
  nowMs: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason);
      });
    }),
};

export function runCommand(): Command {
  return new Command('run')
    .description(
      'Run the service: observe every configured rig, score each device every tick, stream the results.',
    )
    .requiredOption('-c, --config <file>', 'the rigtune.yaml to run (see docs/config.md)')
    .option('--port <n>', "HTTP port instead of the file's http.port")
    .action(async (flags: { config: string; port?: string }) => {
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'info' }, pino.destination(2));
      const loaded = loadConfig(flags.config, { env: process.env });
      const config =
        flags.port === undefined ? loaded : { ...loaded, http: { ...loaded.http, port: Number(flags.port) } };
      const running = await startFromConfig(config, {
        clock: WALL_CLOCK,
        logger,
        env: process.env,
        version: '0.1.0',
      });
      logger.info({ url: running.address.url, rigs: config.rigs.length }, 'Service started.');
      process.stderr.write(
        `rigtune: serving ${running.address.url} (API, /metrics, /healthz); Ctrl-C stops\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.info('Stopping: flushing sinks.');
      await running.stop();
      logger.info(running.service.stats(), 'Service stopped.');
    });
}
