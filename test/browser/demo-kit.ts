// The real demo service in-process for the browser tests and the screenshot script: `startDemo` on
// 127.0.0.1 port 0 with a temp data dir, a control token and a chosen fault plan.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Clock } from '../../src/core/clock.ts';
import { type RunningDemo, startDemo } from '../../src/runtime/demo.ts';
import type { RunningService } from '../../src/runtime/from-config.ts';

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
  readonly demo: RunningDemo;
  readonly running: RunningService;
  readonly dataDir: string;
  /** Stops the service and the simulated miners and removes the data dir. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `rigtune demo` in-process with the fault plan `faults` (the sim's `--faults` syntax; the
 * demo's own plan takes ~30 s to show) and a fresh temp data dir (or `dataDir`, which stop() keeps).
 */
export async function startDashboardDemo(
  faults: string,
  o: { seed?: number; dataDir?: string } = {},
): Promise<DashboardDemo> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'rigtune-dashboard-'));
  const removeDir = () => {
    if (o.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  let demo: RunningDemo;
  try {
    demo = await startDemo({
      port: 0,
      dataDir,
      apiToken: DEMO_TOKEN,
      seed: o.seed ?? 1,
      clock: WALL_CLOCK,
      logger: pino({ level: 'silent' }),
      version: '0.0.0-test',
      faults,
    });
  } catch (err) {
    removeDir();
    throw err;
  }
  let stopped: Promise<void> | null = null;
  return {
    url: demo.running.address.url,
    demo,
    running: demo.running,
    dataDir,
    stop: () => {
      stopped ??= demo.stop().then(removeDir);
      return stopped;
    },
  };
}
