// `rigtune worker --valkey URL`: a scoring worker of the scale-out layout. It takes its fair share of
// the partitions through leases in Valkey, scores them and writes the results where `rigtune run` does.

import { hostname } from 'node:os';
import { Command } from 'commander';
import pino from 'pino';
import { RigtuneError } from '../core/errors.ts';
import {
  DEFAULT_WORKER_OPTIONS,
  NODE_ID,
  startWorker,
  type WorkerRoleOptions,
} from '../runtime/scale/index.ts';

/** `--<name>` as an integer ≥ `min`; undefined when not given. Throws RT_CLI_USAGE naming the flag. */
export function intFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new RigtuneError('RT_CLI_USAGE', `--${name}: expected an integer ≥ ${min}, got ${value}`, {
      field: name,
    });
  return n;
}

const URL_PATTERN = /^(redis|rediss|valkey|valkeys):\/\/\S+$/;

/**
 * `--valkey` as a URL node-redis can open. Throws RT_CLI_USAGE; the message never repeats the URL
 * (it may hold a password).
 */
export function valkeyUrlFlag(value: string): string {
  let ok = URL_PATTERN.test(value);
  try {
    new URL(value);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new RigtuneError(
      'RT_CLI_USAGE',
      '--valkey: expected a redis://, rediss://, valkey:// or valkeys:// URL (host:port)',
      { field: 'valkey' },
    );
  return value;
}

/**
 * `--valkey` as one URL (a single server) or comma-separated seed URLs of a Valkey Cluster, each
 * checked as {@link valkeyUrlFlag}. Throws RT_CLI_USAGE.
 */
export function valkeyUrlsFlag(value: string): string[] {
  const urls = value
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (urls.length === 0)
    throw new RigtuneError('RT_CLI_USAGE', '--valkey: expected a URL', { field: 'valkey' });
  return urls.map(valkeyUrlFlag);
}

/** `--id` checked against NODE_ID (1..64 of A-Z a-z 0-9 . _ -). Throws RT_CLI_USAGE. */
export function idFlag(id: string): string {
  if (!NODE_ID.test(id))
    throw new RigtuneError('RT_CLI_USAGE', `--id: expected 1..64 of A-Z a-z 0-9 . _ -, got ${id}`, {
      field: 'id',
    });
  return id;
}

export interface WorkerFlags {
  valkey: string;
  id?: string;
  partitions?: string;
  port?: string;
  host: string;
  leaseTtlMs?: string;
  rebuildMs?: string;
  blockMs?: string;
  streamMaxLen?: string;
}

/** The worker's role options from its flags (`defaultId` when --id is absent); throws RT_CLI_USAGE. */
export function workerRoleOptions(flags: WorkerFlags, defaultId: string): Omit<WorkerRoleOptions, 'logger'> {
  const d = DEFAULT_WORKER_OPTIONS;
  const port = intFlag('port', flags.port, 0);
  if (port !== undefined && port > 65_535)
    throw new RigtuneError('RT_CLI_USAGE', `--port: expected 0..65535, got ${flags.port}`, { field: 'port' });
  return {
    urls: valkeyUrlsFlag(flags.valkey),
    metricsHost: flags.host,
    metricsPort: port ?? null,
    worker: {
      ...d,
      id: idFlag(flags.id ?? defaultId),
      partitions: intFlag('partitions', flags.partitions, 1) ?? null,
      leaseTtlMs: intFlag('lease-ttl-ms', flags.leaseTtlMs, 30) ?? d.leaseTtlMs,
      rebuildMs: intFlag('rebuild-ms', flags.rebuildMs, 0) ?? d.rebuildMs,
      blockMs: intFlag('block-ms', flags.blockMs, 1) ?? d.blockMs,
      streamMaxLen: intFlag('stream-max-len', flags.streamMaxLen, 100) ?? d.streamMaxLen,
    },
  };
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Run a scoring worker: own a fair share of the partition streams (leases in Valkey), rebuild each ' +
        "device's windows and advice on takeover, score and advise, write results and advice to the keys " +
        '`rigtune run` uses.',
    )
    .requiredOption(
      '--valkey <url>',
      'Valkey URL, redis://host:port; several, comma-separated, are the seed nodes of a Valkey Cluster',
    )
    .option('--id <name>', 'worker name (default: host name and process id)')
    .option('--partitions <n>', 'partition count (default: the one in Valkey, else 16)')
    .option('--port <n>', 'serve /metrics on this port (0 = any free port); default none')
    .option('--host <addr>', '/metrics bind address', '127.0.0.1')
    .option('--lease-ttl-ms <ms>', `lease time-to-live, ms (default ${DEFAULT_WORKER_OPTIONS.leaseTtlMs})`)
    .option(
      '--rebuild-ms <ms>',
      `history replayed on takeover, ms (default ${DEFAULT_WORKER_OPTIONS.rebuildMs})`,
    )
    .option('--block-ms <ms>', `XREADGROUP BLOCK, ms (default ${DEFAULT_WORKER_OPTIONS.blockMs})`)
    .option(
      '--stream-max-len <n>',
      `MAXLEN ~ of each rig's result streams, entries (default ${DEFAULT_WORKER_OPTIONS.streamMaxLen}; docs/scale-out.md sizes it)`,
    )
    .action(async (flags: WorkerFlags) => {
      const options = workerRoleOptions(flags, `${hostname()}-${process.pid}`);
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'info' }, pino.destination(2));
      const role = await startWorker({ ...options, logger });
      process.stderr.write(
        `rigtune: worker ${role.worker.instance} on ${role.worker.partitions} partitions` +
          (role.metrics === null ? '' : `, metrics at ${role.metrics.url}`) +
          '; Ctrl-C stops\n',
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await role.stop();
    });
}
