// `rigtune demo`: a simulated fleet (GPU rigs and ASICs, faults on a schedule) served over the real
// XMRig and CGMiner wire protocols on loopback, read by the real sources, run as the real service.

import type { Logger } from 'pino';
import { parseConfigText } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import { Fleet, parseFaultSpec } from '../sim/index.ts';
import { serveCgminer, serveXmrig } from '../sim/serve/index.ts';
import { type RunningService, startFromConfig } from './from-config.ts';

/** GPU rigs × GPUs, ASIC miners: a dozen rigs in all. */
const GPU_RIGS = 8;
const GPUS_PER_RIG = 4;
const ASICS = 4;
/** Faults from the demo's start, early enough that a one-minute run shows several. */
export const DEMO_FAULTS =
  'thermal_paste@rig2/gpu0@10s,fan_failure@rig1/gpu2@20s,pool_latency@rig3@35s+30s,' +
  'hashboard_dropout@asic1/board1@45s,reject_storm@rig5@60s+60s,driver_crash@rig6/gpu1@90s';

export interface DemoOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Valkey URL; absent = the embedded store. */
  readonly valkeyUrl?: string;
  readonly seed: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly version: string;
}

export interface RunningDemo {
  readonly running: RunningService;
  readonly rigs: readonly string[];
  readonly faults: string;
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const fleet = new Fleet({
    seed: o.seed,
    startMs: o.clock.nowMs(),
    gpuRigs: GPU_RIGS,
    gpusPerRig: GPUS_PER_RIG,
    gpuModel: 'mixed',
    asics: ASICS,
    faults: parseFaultSpec(DEMO_FAULTS),
  });
  const servers = await Promise.all(
    fleet.rigs.map(async (rig) => ({
      rig: rig.name,
      type: rig.type,
      endpoint: rig.type === 'gpu' ? await serveXmrig(rig) : await serveCgminer(rig),
    })),
  );
  // The fleet advances in real time, one simulated second per second.
  const stepper = setInterval(() => fleet.step(1000), 1000);
  const yaml = [
    `data_dir: ${JSON.stringify(o.dataDir)}`,
    `http: {host: 127.0.0.1, port: ${o.port}}`,
    'sampling: {interval_ms: 1000}',
    ...(o.valkeyUrl === undefined ? [] : ['sinks:', `  valkey: {url: ${JSON.stringify(o.valkeyUrl)}}`]),
    'rigs:',
    ...servers.flatMap((s) => [
      `  - name: ${s.rig}`,
      '    sources:',
      s.type === 'gpu'
        ? `      - {kind: xmrig, url: "http://127.0.0.1:${s.endpoint.port}", interval_ms: 1000}`
        : `      - {kind: cgminer, host: 127.0.0.1, port: ${s.endpoint.port}, interval_ms: 1000}`,
    ]),
    '',
  ].join('\n');
  const config = parseConfigText(yaml, '<demo>', {});
  let running: RunningService;
  try {
    running = await startFromConfig(config, {
      clock: o.clock,
      logger: o.logger,
      env: {},
      version: o.version,
    });
  } catch (err) {
    clearInterval(stepper);
    await Promise.all(servers.map((s) => s.endpoint.close()));
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    running,
    rigs: servers.map((s) => s.rig),
    faults: DEMO_FAULTS,
    stop: () => {
      stopped ??= (async () => {
        await running.stop();
        clearInterval(stepper);
        await Promise.all(servers.map((s) => s.endpoint.close()));
      })();
      return stopped;
    },
  };
}
