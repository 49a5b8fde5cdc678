// The demo's simulated fleet on the wire: a dozen rigs with faults on a schedule, each served over the
// real XMRig or CGMiner protocol on loopback and paced on the service clock; and the rigtune.yaml to read it.

import type { Clock } from '../core/clock.ts';
import { Fleet, FleetPacer, parseFaultSpec } from '../sim/index.ts';
import { type ServedEndpoint, serveCgminer, serveXmrig } from '../sim/serve/index.ts';

/** GPU rigs × GPUs (mixed: even rigs RTX 3080 Ti, odd rigs H100), ASIC miners: a dozen rigs in all. */
export const GPU_RIGS = 8;
export const GPUS_PER_RIG = 4;
export const ASICS = 4;
/** Poll interval of every demo source and step of the simulation, ms (1 Hz). */
export const DEMO_INTERVAL_MS = 1000;

/** The rig the demo tunes in `auto` (an H100 rig no scheduled fault touches); the others advise. */
export const DEMO_AUTO_RIG = 'rig1';

/**
 * Auto-tune windows of the demo, shortened so a run of a few minutes shows actions: a 40 s baseline,
 * 10 s settle and 40 s watch in 10 s blocks, one action a minute at most (the defaults are 5 min each).
 */
const DEMO_AUTOTUNE =
  'baseline_ms: 40000, settle_ms: 10000, watch_ms: 40000, block_ms: 10000, min_interval_ms: 60000, ' +
  'cooldown_ms: 300000, max_actions_per_hour: 20, stale_ms: 10000, advice_ttl_ms: 300000';

/**
 * Faults from the demo's start, each chosen to show within seconds on what the miners' APIs report:
 * the thermal-paste drift is compressed into 15 s (its default ramp is 30 min), and the fan fails on
 * an RTX 3080 Ti (rig4), whose own fan stops; an H100 (odd rigs) has none, only chassis airflow.
 */
export const DEMO_FAULTS =
  'thermal_paste@rig2/gpu0@10s+15s,fan_failure@rig4/gpu2@20s,pool_latency@rig3@35s+30s,' +
  'hashboard_dropout@asic1/board1@45s,reject_storm@rig5@60s+60s,driver_crash@rig6/gpu1@90s';

/** One rig's protocol server. */
export interface DemoServer {
  readonly rig: string;
  readonly type: 'gpu' | 'asic';
  readonly endpoint: ServedEndpoint;
}

/** The demo fleet, its pace and its servers. */
export interface DemoFleet {
  readonly fleet: Fleet;
  /** Steps the fleet as requests arrive; maps fault times (simulation) to clock times. */
  readonly pacer: FleetPacer;
  readonly servers: readonly DemoServer[];
  /** The fault spec the fleet runs. */
  readonly faults: string;
  /** Closes every server. Idempotent. */
  close(): Promise<void>;
}

export interface DemoFleetOptions {
  readonly seed: number;
  /** The service clock: the fleet makes one 1 s step per second of it. */
  readonly clock: Clock;
  /** Fault spec (default DEMO_FAULTS). */
  readonly faults?: string;
}

/**
 * Builds the demo fleet and serves each rig on 127.0.0.1 (GPU rigs as XMRig, ASICs as an Antminer's
 * cgminer API). The fleet is stepped as each request arrives, up to the clock's time, half a step
 * out of phase with the 1 Hz polls: every poll reads a state one step newer than the last.
 */
export async function serveDemoFleet(o: DemoFleetOptions): Promise<DemoFleet> {
  const faults = o.faults ?? DEMO_FAULTS;
  const fleet = new Fleet({
    seed: o.seed,
    startMs: o.clock.nowMs(),
    gpuRigs: GPU_RIGS,
    gpusPerRig: GPUS_PER_RIG,
    gpuModel: 'mixed',
    asics: ASICS,
    // The miners have been up an hour, as on a running farm: XMRig's hash-rate windows are full.
    minerUptimeS: 3600,
    faults: parseFaultSpec(faults),
  });
  const pacer = new FleetPacer(fleet, () => o.clock.nowMs(), DEMO_INTERVAL_MS);
  const onRequest = () => pacer.sync();
  const servers: DemoServer[] = [];
  const close = () => Promise.all(servers.map((s) => s.endpoint.close())).then(() => undefined);
  try {
    for (const rig of fleet.rigs) {
      const endpoint =
        rig.type === 'gpu' ? await serveXmrig(rig, { onRequest }) : await serveCgminer(rig, { onRequest });
      servers.push({ rig: rig.name, type: rig.type, endpoint });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { fleet, pacer, servers, faults, close };
}

export interface DemoConfigOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Bearer token of the control API; absent = none (control writes get 401). */
  readonly apiToken?: string;
  /** Valkey URL; absent = the embedded store. */
  readonly valkeyUrl?: string;
}

/**
 * The rigtune.yaml of the demo: one xmrig or cgminer source per rig, polled at 1 Hz, and the
 * simulator actuator on every rig: auto-tune advises, except on DEMO_AUTO_RIG, which it tunes.
 */
export function demoConfigYaml(servers: readonly DemoServer[], o: DemoConfigOptions): string {
  return [
    `data_dir: ${JSON.stringify(o.dataDir)}`,
    `http: {host: 127.0.0.1, port: ${o.port}}`,
    `sampling: {interval_ms: ${DEMO_INTERVAL_MS}}`,
    ...(o.apiToken === undefined ? [] : [`control: {api_token: ${JSON.stringify(o.apiToken)}}`]),
    ...(o.valkeyUrl === undefined ? [] : ['sinks:', `  valkey: {url: ${JSON.stringify(o.valkeyUrl)}}`]),
    'rigs:',
    ...servers.flatMap((s) => [
      `  - name: ${s.rig}`,
      '    sources:',
      s.type === 'gpu'
        ? `      - {kind: xmrig, url: "http://127.0.0.1:${s.endpoint.port}", interval_ms: ${DEMO_INTERVAL_MS}}`
        : `      - {kind: cgminer, host: 127.0.0.1, port: ${s.endpoint.port}, interval_ms: ${DEMO_INTERVAL_MS}}`,
      '    actuator: {kind: sim}',
      `    autotune: {mode: ${s.rig === DEMO_AUTO_RIG ? 'auto' : 'advise'}, ${DEMO_AUTOTUNE}}`,
    ]),
    '',
  ].join('\n');
}
