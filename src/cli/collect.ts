// `rigtune collect --config site.yaml`: the site half of the scale-out layout. It polls the site's rigs
// as `rigtune run` does and appends every poll to its rig's partition stream, spooling while Valkey is away.

import { hostname } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { type Config, loadConfig } from '../config/index.ts';
import { RigtuneError } from '../core/errors.ts';
import { type CollectorRoleOptions, startCollector } from '../runtime/scale/index.ts';
import { idFlag, intFlag, valkeyUrlsFlag } from './worker.ts';

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

export interface CollectFlags {
  config: string;
  valkey?: string;
  id?: string;
  partitions?: string;
  spool?: string;
}

/**
 * The collector's Valkey URL and writer options from its flags and the loaded site file (`defaultId`
 * when --id is absent). Throws RT_CLI_USAGE naming the flag: no URL anywhere, a URL that is not
 * redis/valkey, a bad id or partition count.
 */
export function collectorOptions(
  flags: CollectFlags,
  config: Pick<Config, 'dataDir' | 'sinks'>,
  defaultId: string,
): { urls: string[]; writer: CollectorRoleOptions['writer'] & { partitions: number } } {
  const url = flags.valkey ?? config.sinks.valkey?.url;
  if (url === undefined)
    throw new RigtuneError('RT_CLI_USAGE', '--valkey: no URL given and the file has no sinks.valkey', {
      field: 'valkey',
    });
  return {
    urls: valkeyUrlsFlag(url),
    writer: {
      collector_id: idFlag(flags.id ?? defaultId),
      partitions: intFlag('partitions', flags.partitions ?? '16', 1) as number,
      spool_dir: flags.spool ?? join(config.dataDir, 'spool', 'collect'),
    },
  };
}

export function collectCommand(): Command {
  return new Command('collect')
    .description(
      "Run a site collector: poll the file's rigs and append every poll to its rig's partition stream " +
        '(telemetry:snapshots:{p}) for the workers; spools to disk while Valkey is unreachable. Rigs with ' +
        'an actuator are auto-tuned here on the scores the workers publish (telemetry:score:<rig>); ' +
        'actions go to telemetry:actions:<rig>.',
    )
    .requiredOption('-c, --config <file>', 'the site.yaml to read (rigs and sampling; see docs/config.md)')
    .option(
      '--valkey <url>',
      "Valkey URL; several, comma-separated, are the seed nodes of a Valkey Cluster (default: the file's sinks.valkey URL)",
    )
    .option('--id <name>', 'collector id, unique per site (default: the host name)')
    .option('--partitions <n>', 'partition count, the same for every collector and worker', '16')
    .option('--spool <dir>', 'spool directory (default <data_dir>/spool/collect)')
    .action(async (flags: CollectFlags) => {
      const config = loadConfig(flags.config, { env: process.env });
      const { urls, writer } = collectorOptions(flags, config, hostname());
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'info' }, pino.destination(2));
      const role = await startCollector(config, {
        urls,
        writer,
        clock: WALL_CLOCK,
        logger,
        env: process.env,
      });
      const partitions = writer.partitions;
      process.stderr.write(
        `rigtune: collecting ${config.rigs.length} rigs into ${partitions} partitions; Ctrl-C stops\n`,
      );
      const tuned = role.autotune?.rigs ?? [];
      if (tuned.length > 0)
        process.stderr.write(
          `rigtune: auto-tune on ${tuned.join(', ')} (scores from the workers; ` +
            `journal ${config.control.journalDir}); Ctrl-C restores safe settings\n`,
        );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await role.stop();
    });
}
