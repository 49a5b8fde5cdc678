// readAuditEvents: the demo's end-of-run fault summary reads this run's rupture events back from the
// audit log (events only, every file, none from before the run, a cut line skipped); startDemo's faults.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { waitUntil } from '../../test/helpers/redis-server.ts';
import type { Clock } from '../core/clock.ts';
import { readAuditEvents, startDemo } from './demo.ts';

/** The demo's miners are paced on the clock: the wall clock, as `rigtune demo` runs. */
const WALL_CLOCK: Clock = {
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

const T = 1_780_000_000_000;

function line(type: string, tsDetected: number, device = 'gpu0'): string {
  if (type !== 'event')
    return JSON.stringify({ type, ts: tsDetected, rig: 'rig0', device, note: '"type":"event"' });
  return JSON.stringify({
    type: 'event',
    ts_start: tsDetected - 1000,
    ts_detected: tsDetected,
    rig: 'rig0',
    device,
    class: 'micro',
    channels: ['power_w'],
    hazard: 0.9,
  });
}

test('events at or after the start, from every audit file; ticks, other files and a cut line skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-demo-audit-'));
  try {
    const header = JSON.stringify({ type: 'header', log: 'rigtune-audit', schema: 1, first_ms: T });
    writeFileSync(
      join(dir, 'audit-20260301-100000-000.ndjson'),
      [header, line('tick', T), line('event', T - 1, 'old'), line('event', T + 5000, 'a'), ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'audit-20260301-110000-000.ndjson'),
      [header, line('event', T + 9000, 'b'), '{"type":"event","ts_st'].join('\n'),
    );
    writeFileSync(join(dir, 'notes.txt'), line('event', T + 1, 'not-a-log'));
    mkdirSync(join(dir, 'sub'));
    const events = await readAuditEvents(dir, T);
    assert.deepEqual(
      events.map((e) => e.device),
      ['a', 'b'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an absent directory has no events', async () => {
  assert.deepEqual(await readAuditEvents(join(tmpdir(), 'rigtune-no-such-dir-4711'), 0), []);
});

test('startDemo runs the fault plan it is given instead of the demo schedule', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigtune-demo-faults-'));
  // asic1's second board is gone from the start (the demo's own plan drops it only after 45 s).
  const faults = 'hashboard_dropout@asic1/board1@0s';
  const demo = await startDemo({
    port: 0,
    dataDir,
    seed: 1,
    clock: WALL_CLOCK,
    logger: pino({ level: 'silent' }),
    version: '0.0.0-test',
    faults,
  });
  try {
    assert.equal(demo.faults, faults);
    type Fleet = { devices: { device: string; readings: { hashrate_hs: number | null } | null }[] };
    let boards = new Map<string, number | null>();
    // Polled until asic1's first reading is in (the miners are read at 1 Hz).
    await waitUntil(async () => {
      const fleet = (await (await fetch(`${demo.running.address.url}/api/fleet?rig=asic1`)).json()) as Fleet;
      boards = new Map(fleet.devices.map((d) => [d.device, d.readings?.hashrate_hs ?? null]));
      return boards.get('board1') !== undefined && boards.get('board1') !== null;
    }, 'asic1 is read');
    // The sim's board1 is the miner's second chain, `board2`: gone, so the source lists no such board.
    assert.deepEqual([...boards.keys()].sort(), ['board1', 'board3', 'total']);
    assert.ok(
      (boards.get('board1') ?? 0) > 0 && (boards.get('board3') ?? 0) > 0,
      JSON.stringify([...boards]),
    );
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
