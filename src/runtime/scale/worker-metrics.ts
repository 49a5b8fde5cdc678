// A worker's /metrics on its own HTTP port: the per-device gauges of the Prometheus sink (fed every
// scored batch, as in `rigtune run`) followed by the worker's counters and its owned partitions.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RigTickBatch } from '../../core/sink.ts';
import { create as createPrometheus, type PrometheusSink } from '../../sinks/prometheus/index.ts';
import type { WorkerStats } from './worker-types.ts';

const COUNTERS: ReadonlyArray<readonly [keyof WorkerStats, string, string]> = [
  ['entries', 'rigtune_worker_entries_total', 'Partition stream entries (rig polls) scored.'],
  ['snapshots', 'rigtune_worker_snapshots_total', 'Device snapshots scored.'],
  ['duplicateEntries', 'rigtune_worker_duplicate_entries_total', 'Entries refused as a collector resend.'],
  ['badEntries', 'rigtune_worker_bad_entries_total', 'Stream entries that are not rigtune entries.'],
  ['takeovers', 'rigtune_worker_takeovers_total', 'Partitions taken over (claim and rebuild done).'],
  ['claimed', 'rigtune_worker_claimed_entries_total', 'Pending entries claimed from earlier owners.'],
  ['rebuiltEntries', 'rigtune_worker_rebuilt_entries_total', 'History entries replayed to rebuild windows.'],
  ['leasesLost', 'rigtune_worker_leases_lost_total', 'Partition leases lost before release.'],
  ['failures', 'rigtune_worker_valkey_failures_total', 'Valkey calls that failed and were retried.'],
];

/** Exposition lines of the worker's own counters and gauges. */
export function workerExposition(stats: WorkerStats, owned: number, live: number): string {
  const lines: string[] = [];
  for (const [key, name, help] of COUNTERS)
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${stats[key]}`);
  lines.push(
    '# HELP rigtune_worker_partitions Partitions this worker owns.',
    '# TYPE rigtune_worker_partitions gauge',
    `rigtune_worker_partitions ${owned}`,
    '# HELP rigtune_worker_live_workers Live workers as of the last lease round.',
    '# TYPE rigtune_worker_live_workers gauge',
    `rigtune_worker_live_workers ${live}`,
  );
  return `${lines.join('\n')}\n`;
}

export interface WorkerMetrics {
  /** Feed every scored batch here. */
  readonly observe: (batch: RigTickBatch) => void;
  readonly url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics on host:port (port 0 = any free port); `state` is read per scrape. */
export async function serveWorkerMetrics(
  host: string,
  port: number,
  state: () => { stats: WorkerStats; owned: number; live: number },
): Promise<WorkerMetrics> {
  const sink: PrometheusSink = createPrometheus({}, { clock: { nowMs: () => Date.now() } });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    sink.render().then(
      (page) => {
        const s = state();
        res
          .writeHead(200, { 'content-type': page.contentType })
          .end(page.body + workerExposition(s.stats, s.owned, s.live));
      },
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    observe: (batch) => sink.write(batch),
    url: `http://${host}:${address.port}/metrics`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sink.close();
    },
  };
}
