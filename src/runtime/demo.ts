// `rigtune demo`: a simulated fleet (GPU rigs and ASICs, faults on a schedule) served over the real
// XMRig and CGMiner wire protocols on loopback, read by the real sources, run as the real service.

import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { parseConfigText } from '../config/index.ts';
import type { Clock } from '../core/clock.ts';
import type { RuptureEvent } from '../core/scores.ts';
import { AUDIT_FILE_PATTERN } from '../sinks/audit/index.ts';
import { type FaultReport, matchFaultEvents } from './demo-faults.ts';
import { DEMO_AUTO_RIG, demoConfigYaml, serveDemoFleet } from './demo-fleet.ts';
import { type RunningService, startFromConfig } from './from-config.ts';

export { DEMO_AUTO_RIG, DEMO_FAULTS } from './demo-fleet.ts';

export interface DemoOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Valkey URL; absent = the embedded store. */
  readonly valkeyUrl?: string;
  /** Bearer token of the control API (≥ 16 characters); absent = none (control writes get 401). */
  readonly apiToken?: string;
  readonly seed: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly version: string;
  /**
   * Fault schedule in the sim's `--faults` syntax (`kind@rig[/device]@start[+duration]`, comma-separated),
   * replacing the demo's own DEMO_FAULTS; '' runs the fleet without faults. Absent = DEMO_FAULTS.
   */
  readonly faults?: string;
}

export interface RunningDemo {
  readonly running: RunningService;
  readonly rigs: readonly string[];
  /** The fault schedule the fleet runs (DemoOptions.faults or DEMO_FAULTS). */
  readonly faults: string;
  /** The rig auto-tune acts on (`auto`); every other rig is advised only. */
  readonly autoRig: string;
  /** Stops the service (flushing every sink), then the simulated miners. Idempotent. */
  stop(): Promise<void>;
  /**
   * After `stop()`: which of the faults started so far were caught, read back from this run's
   * rupture events in the audit log. Null when the audit log is disabled.
   */
  faultReport(): Promise<FaultReport | null>;
}

/**
 * Rupture events detected at or after `sinceMs` in the audit log under `dir` (every `audit-*.ndjson`
 * file), read line by line so a long log is never held in memory. An absent directory has none.
 */
export async function readAuditEvents(dir: string, sinceMs: number): Promise<RuptureEvent[]> {
  let files: string[];
  try {
    const { prefix, extension } = AUDIT_FILE_PATTERN;
    files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(extension));
  } catch {
    return [];
  }
  const events: RuptureEvent[] = [];
  for (const file of files.sort()) {
    const lines = createInterface({ input: createReadStream(join(dir, file), 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.includes('"type":"event"')) continue;
      try {
        const e = JSON.parse(line) as RuptureEvent;
        if (e.type === 'event' && e.ts_detected >= sinceMs) events.push(e);
      } catch {
        // A last line cut by a crash: not an event to count.
      }
    }
  }
  return events;
}

export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const startMs = o.clock.nowMs();
  const demo = await serveDemoFleet({ seed: o.seed, clock: o.clock, faults: o.faults });
  const yaml = demoConfigYaml(demo.servers, {
    port: o.port,
    dataDir: o.dataDir,
    valkeyUrl: o.valkeyUrl,
    apiToken: o.apiToken,
  });
  const config = parseConfigText(yaml, '<demo>', {});
  let running: RunningService;
  try {
    running = await startFromConfig(config, {
      clock: o.clock,
      logger: o.logger,
      env: {},
      version: o.version,
      fleet: demo.fleet,
      // XMRig names the simulated GPUs by PCI bus id: the sim driver answers to those names.
      simDeviceNames: 'pci_bus_id',
    });
  } catch (err) {
    await demo.close();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    running,
    rigs: demo.servers.map((s) => s.rig),
    faults: demo.faults,
    autoRig: DEMO_AUTO_RIG,
    stop: () => {
      stopped ??= (async () => {
        await running.stop();
        await demo.close();
      })();
      return stopped;
    },
    faultReport: async () => {
      if (!config.sinks.audit.enabled) return null;
      const events = await readAuditEvents(config.sinks.audit.dir, startMs);
      return matchFaultEvents(demo.fleet, (ms) => demo.pacer.clockMsOf(ms) ?? ms, events);
    },
  };
}
