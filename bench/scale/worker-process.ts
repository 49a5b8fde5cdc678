// One scoring worker as its own process for bench/scale.bench.ts: runtime/scale's Worker on its own
// connection, its counters and owned partitions sent to the parent (IPC) every 100 ms until told to stop.
// Usage (from the bench): fork('bench/scale/worker-process.ts', [JSON config]).

import pino from 'pino';
import { DEFAULT_WORKER_OPTIONS, openValkey, Worker } from '../../src/runtime/scale/index.ts';
import type { WorkerReport, WorkerSpec } from './protocol.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as WorkerSpec;
const port = openValkey({ urls: spec.urls, cluster: spec.cluster, reconnectMaxMs: 200 });
const worker = new Worker(
  {
    ...DEFAULT_WORKER_OPTIONS,
    id: spec.id,
    partitions: spec.partitions,
    leaseTtlMs: spec.leaseTtlMs,
    // The bench starts from empty streams each phase: nothing older than the run to replay.
    rebuildMs: spec.rebuildMs,
    readCount: spec.readCount,
  },
  { port, logger: pino({ level: 'silent' }) },
);

const send = (m: Omit<WorkerReport, 'cpuS'>) => {
  const cpu = process.cpuUsage();
  // The parent may be gone (the bench failed): a closed channel is not this worker's error.
  if (process.connected)
    process.send?.({ ...m, cpuS: (cpu.user + cpu.system) / 1e6 }, undefined, {}, () => undefined);
};
await worker.start();
const timer = setInterval(() => send({ type: 'stats', stats: worker.stats(), owned: worker.owned() }), 100);
process.on('message', (m: { type?: string }) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  void (async () => {
    await worker.stop();
    send({ type: 'stats', stats: worker.stats(), owned: [] });
    await port.close();
    process.disconnect?.();
  })();
});
// The parent went away (the bench was interrupted): stop rather than linger.
process.on('disconnect', () => process.exit(0));
