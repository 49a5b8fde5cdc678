// One simulated site as its own process for bench/scale.bench.ts: a sim fleet's polls appended through
// the collector's partitioned stream writer, either flooded (a backlog for the throughput phases) or at 1 Hz.
// Usage (from the bench): fork('bench/scale/site-process.ts', [JSON config]).

import pino from 'pino';
import type { Snapshot } from '../../src/core/snapshot.ts';
import { openValkey, settingsHash } from '../../src/runtime/scale/index.ts';
import { Fleet } from '../../src/sim/index.ts';
import { create } from '../../src/sinks/valkey-streams/index.ts';
import type { SiteReport, SiteSpec } from './protocol.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as SiteSpec;
const port = openValkey({ urls: spec.urls, cluster: spec.cluster, reconnectMaxMs: 200 });
const writer = create(
  {
    collector_id: spec.site,
    partitions: spec.partitions,
    spool_dir: spec.spoolDir,
    stream_max_len: 1_000_000,
  },
  { port, logger: pino({ level: 'silent' }) },
);
const startMs = spec.mode === 'flood' ? Date.now() - spec.ticks * 1000 : Date.now();
const fleet = new Fleet({
  seed: spec.seed,
  startMs,
  gpuRigs: spec.gpuRigs,
  gpusPerRig: spec.gpusPerRig,
  asics: 0,
  settleS: 60,
});
const defaults = settingsHash({ scorer: {} });
for (const rig of fleet.rigs) writer.setRigConfig(`${spec.site}-${rig.name}`, defaults.hash, defaults.json);

let polls = 0;
let snapshots = 0;
let firstMs = 0;
const send = (type: SiteReport['type']) => {
  const m: SiteReport = { type, polls, snapshots, elapsedMs: Date.now() - firstMs };
  if (process.connected) process.send?.(m, undefined, {}, () => undefined);
};

/** Advances the fleet by `dtMs` and appends one poll per rig (rig names carry the site). */
function tick(dtMs: number): void {
  fleet.step(dtMs);
  const byRig = new Map<string, Snapshot[]>();
  for (const s of fleet.snapshots()) {
    const rig = `${spec.site}-${s.rig}`;
    const list = byRig.get(rig);
    if (list === undefined) byRig.set(rig, [{ ...s, rig }]);
    else list.push({ ...s, rig });
  }
  if (firstMs === 0) firstMs = Date.now();
  for (const [rig, list] of byRig) {
    writer.append(rig, list);
    polls += 1;
    snapshots += list.length;
  }
}

async function stop(): Promise<void> {
  await writer.close();
  await port.close();
  process.disconnect?.();
}

await port.waitReady(AbortSignal.timeout(10_000));
if (spec.mode === 'flood') {
  for (let t = 0; t < spec.ticks; t++) {
    tick(1000);
    // Bounded memory: let the writer catch up every few ticks.
    if (t % 5 === 4) await writer.flush();
  }
  await writer.flush();
  send('done');
  await stop();
} else {
  // 1 Hz on the wall clock: each tick's snapshots carry the time they are appended at.
  const timer = setInterval(() => {
    tick(Date.now() - fleet.nowMs);
    send('progress');
  }, 1000);
  process.on('message', (m: { type?: string }) => {
    if (m.type !== 'stop') return;
    clearInterval(timer);
    void writer.flush().then(() => {
      send('done');
      return stop();
    });
  });
}
process.on('disconnect', () => process.exit(0));
