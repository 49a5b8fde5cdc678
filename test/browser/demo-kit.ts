// The real demo service in-process for the browser tests and the screenshot script: the demo fleet
// over its real protocol servers and sources, on 127.0.0.1 port 0, a temp data dir, a chosen fault plan.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfigText } from '../../src/config/index.ts';
import type { Clock } from '../../src/core/clock.ts';
import { demoConfigYaml, serveDemoFleet } from '../../src/runtime/demo-fleet.ts';
import { type RunningService, startFromConfig } from '../../src/runtime/from-config.ts';

/** The wall clock (the demo's miners and polls run in real time). */
export const WALL_CLOCK: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason);
      });
    }),
};

/** A control token for the demo's API (at least 16 characters). */
export const DEMO_TOKEN = 'browser-test-token-0123456789';

export interface DashboardDemo {
  readonly url: string;
  readonly running: RunningService;
  readonly dataDir: string;
  /** Stops the service and the simulated miners and removes the data dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the demo as `startDemo` does (same fleet, same rigtune.yaml, same service) but with the
 * fault plan `faults` (the sim's `--faults` syntax; the demo's own plan takes ~30 s to show).
 */
export async function startDashboardDemo(faults: string, seed = 1): Promise<DashboardDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigtune-dashboard-'));
  const fleet = await serveDemoFleet({ seed, clock: WALL_CLOCK, faults });
  const yaml = demoConfigYaml(fleet.servers, { port: 0, dataDir, apiToken: DEMO_TOKEN });
  let running: RunningService;
  try {
    running = await startFromConfig(parseConfigText(yaml, '<demo>', {}), {
      clock: WALL_CLOCK,
      logger: pino({ level: 'silent' }),
      env: {},
      version: '0.0.0-test',
      fleet: fleet.fleet,
      simDeviceNames: 'pci_bus_id',
    });
  } catch (err) {
    await fleet.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: running.address.url,
    running,
    dataDir,
    stop: () => {
      stopped ??= (async () => {
        await running.stop();
        await fleet.close();
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
