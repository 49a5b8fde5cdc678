// `rigtune worker --valkey URL`: a scoring worker of the scale-out layout. It takes its fair share of
// the partitions through leases in Valkey, scores them and writes the results where `rigtune run` does.

import { hostname } from 'node:os';
import { Command } from 'commander';
import pino from 'pino';
import { RigtuneError } from '../core/errors.ts';
import { DEFAULT_WORKER_OPTIONS, NODE_ID, startWorker } from '../runtime/scale/index.ts';

function intFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new RigtuneError('RT_CLI_USAGE', `--${name}: expected an integer ≥ ${min}, got ${value}`, {
      field: name,
    });
  return n;
}

interface WorkerFlags {
  valkey: string;
  id?: string;
  partitions?: string;
  port?: string;
  host: string;
  leaseTtlMs?: string;
  rebuildMs?: string;
  blockMs?: string;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Run a scoring worker: own a fair share of the partition streams (leases in Valkey), rebuild each ' +
        "device's windows on takeover, score, write results to the keys `rigtune run` uses.",
    )
    .requiredOption('--valkey <url>', 'Valkey URL, redis://host:port')
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
    .action(async (flags: WorkerFlags) => {
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'info' }, pino.destination(2));
      const id = flags.id ?? `${hostname()}-${process.pid}`;
      if (!NODE_ID.test(id))
        throw new RigtuneError('RT_CLI_USAGE', `--id: expected 1..64 of A-Z a-z 0-9 . _ -, got ${id}`, {
          field: 'id',
        });
      const d = DEFAULT_WORKER_OPTIONS;
      const role = await startWorker({
        urls: [flags.valkey],
        logger,
        metricsHost: flags.host,
        metricsPort: intFlag('port', flags.port, 0) ?? null,
        worker: {
          ...d,
          id,
          partitions: intFlag('partitions', flags.partitions, 1) ?? null,
          leaseTtlMs: intFlag('lease-ttl-ms', flags.leaseTtlMs, 30) ?? d.leaseTtlMs,
          rebuildMs: intFlag('rebuild-ms', flags.rebuildMs, 0) ?? d.rebuildMs,
          blockMs: intFlag('block-ms', flags.blockMs, 1) ?? d.blockMs,
        },
      });
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
