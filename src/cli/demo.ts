// `rigtune demo`: the README's main job — a simulated fleet through the real protocol servers and
// clients, the embedded store (or Valkey), Parquet under ./data, the HTTP API on 127.0.0.1.

import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import pino from 'pino';
import { RigtuneError } from '../core/errors.ts';
import { startDemo } from '../runtime/demo.ts';
import { formatFaultReport } from '../runtime/demo-faults.ts';
import { WALL_CLOCK } from '../runtime/wall-clock.ts';
import { parseDurationMs } from '../sim/index.ts';

interface DemoFlags {
  readonly port: string;
  readonly data: string;
  readonly valkey?: string;
  readonly duration?: string;
  readonly seed: string;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new RigtuneError('RT_CLI_USAGE', `--port: an integer 0..65535 is needed, got '${text}'`);
  return port;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Run the service on a simulated fleet (8 GPU rigs, 4 ASICs, faults on a schedule) served over the ' +
        'real XMRig and CGMiner protocols on loopback; prints where to look, and when it stops, which ' +
        'faults the rupture events caught.',
    )
    .option('--port <n>', 'HTTP port on 127.0.0.1', '8080')
    .option('--data <dir>', 'data directory (Parquet history, audit log, spools)', './data')
    .option('--valkey <url>', 'publish to this Valkey/Redis instead of the embedded store')
    .option('--duration <d>', 'stop after this long (e.g. 60s, 5m), flushing every sink, and exit 0')
    .option('--seed <n>', 'simulation seed', '1')
    .action(async (flags: DemoFlags) => {
      const durationMs = flags.duration === undefined ? null : parseDurationMs(flags.duration, 'duration');
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      // The control API needs a token: $RIGTUNE_API_TOKEN, or one made up for this run and printed.
      const given = process.env.RIGTUNE_API_TOKEN;
      const apiToken = given !== undefined && given !== '' ? given : randomBytes(16).toString('hex');
      const demo = await startDemo({
        port: portOf(flags.port),
        dataDir: flags.data,
        valkeyUrl: flags.valkey,
        apiToken,
        seed: Number(flags.seed),
        clock: WALL_CLOCK,
        logger,
        version: '0.1.0',
      });
      const url = demo.running.address.url;
      process.stderr.write(
        [
          `rigtune demo: ${demo.rigs.length} rigs, faults ${demo.faults}`,
          `  dashboard: ${url}/  (fleet; /rigs/<rig>, /studies)`,
          `  rigs:     ${url}/api/rigs`,
          `  live:     ${url}/api/stream`,
          `  metrics:  ${url}/metrics`,
          `  history:  ${flags.data}/ (Parquet, hive-partitioned; audit log in ${flags.data}/audit)`,
          `  autotune: ${demo.autoRig} in auto (simulator actuator, guarded actions); the other rigs advise`,
          `            ${url}/api/autotune, ${url}/api/rigs/${demo.autoRig}/actions`,
          `  control:  curl -H 'Authorization: Bearer ${given ? '$RIGTUNE_API_TOKEN' : apiToken}' -X POST ${url}/api/killswitch -H 'content-type: application/json' -d '{"engaged":true}'`,
          durationMs === null ? '  Ctrl-C stops.' : `  stopping after ${flags.duration}.`,
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
        if (durationMs !== null) setTimeout(resolve, durationMs).unref();
      });
      await demo.stop();
      const s = demo.running.service.stats();
      process.stderr.write(
        `rigtune demo: scored ${s.scores} device samples, ${s.events} rupture events; stopped.\n`,
      );
      const journaled = demo.running.service.control()?.actions(demo.autoRig, 0, 1000) ?? [];
      const actions = journaled.filter((a) => a.purpose !== 'restore');
      const count = (status: string) => actions.filter((a) => a.status === status).length;
      process.stderr.write(
        `rigtune demo: auto-tune on ${demo.autoRig}: ${actions.length} actions (${count('validated')} validated, ` +
          `${count('rolled_back')} rolled back), ${journaled.length - actions.length} safe settings restored ` +
          `at stop; ${s.advice} advice records in all.\n`,
      );
      const report = await demo.faultReport();
      if (report === null) return;
      process.stderr.write(
        report.faults.length === 0
          ? 'rigtune demo: no scheduled fault had started yet.\n'
          : [
              'rigtune demo: faults started and the rupture events that caught them:',
              ...formatFaultReport(report),
              '',
            ].join('\n'),
      );
    });
}
