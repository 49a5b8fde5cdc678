// readAuditEvents: the demo's end-of-run fault summary reads this run's rupture events back from the
// audit log — events only, from every log file, none from before the run, a line cut by a crash skipped.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEvents } from './demo.ts';

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
