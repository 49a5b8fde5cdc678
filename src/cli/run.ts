// `rigtune run --config rigtune.yaml`: the long-running service, logs as JSON on stderr (pino); SIGHUP
// applies the file live; SIGINT/SIGTERM restore auto-tune's safe settings, flush every sink and exit.

import { Command } from 'commander';
import pino from 'pino';
import { type Config, loadConfig } from '../config/index.ts';
import { startFromConfig } from '../runtime/from-config.ts';
import { WALL_CLOCK } from '../runtime/wall-clock.ts';

export function runCommand(): Command {
  return new Command('run')
    .description(
      'Run the service: observe every configured rig, score each device every tick, stream the results. ' +
        'SIGHUP reloads the file (rigs, sources, thresholds, sampling apply live).',
    )
    .requiredOption('-c, --config <file>', 'the rigtune.yaml to run (see docs/config.md)')
    .option('--port <n>', "HTTP port instead of the file's http.port")
    .action(async (flags: { config: string; port?: string }) => {
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'info' }, pino.destination(2));
      // The --port override holds for reloads too, so it never reads as an HTTP change.
      const withFlags = (c: Config): Config =>
        flags.port === undefined ? c : { ...c, http: { ...c.http, port: Number(flags.port) } };
      const config = withFlags(loadConfig(flags.config, { env: process.env }));
      const running = await startFromConfig(config, {
        clock: WALL_CLOCK,
        logger,
        env: process.env,
        version: '0.1.0',
      });
      process.stderr.write(
        `rigtune: serving ${running.address.url} (dashboard /, API /api, /metrics, /healthz); ` +
          `SIGHUP reloads ${flags.config}; Ctrl-C stops\n`,
      );
      const tuned = running.service.control()?.rigs ?? [];
      if (tuned.length > 0)
        process.stderr.write(
          `rigtune: auto-tune on ${tuned.join(', ')}; control API writes ` +
            (running.config.control.token === null
              ? 'are refused: no token configured (set control.api_token_env)\n'
              : 'need Authorization: Bearer <control token>\n'),
        );
      const reload = () => {
        running.reload(flags.config, withFlags).catch((err: unknown) => {
          // Not a bad file (that is logged and the old configuration kept): a bug while applying it.
          logger.error(
            { component: 'runtime', code: 'reload_crashed', err },
            'Configuration reload crashed.',
          );
        });
      };
      process.on('SIGHUP', reload);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      process.off('SIGHUP', reload);
      await running.stop();
    });
}
