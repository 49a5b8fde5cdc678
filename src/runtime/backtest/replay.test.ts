// Replay of one trace with one candidate: events and raised advice become signals at the right times,
// exposure spans each device, rigs with autotune off give no advice, rows out of rig time order fail.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { buildCandidates } from './candidates.ts';
import { replayTrace } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-bt-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_800_000_000_000;

/** Two GPUs of one rig, 1 Hz, 600 s; gpu0's core runs hot (90 °C) from 300 s and its power jumps. */
function trace(deviceMajor = false): string {
  const rows: string[] = ['ts,rig,device,power_w,temp_core_c,hashrate_5s,fan_pct,power_limit_w'];
  const row = (i: number, d: number) => {
    const hot = d === 0 && i >= 300;
    const power = (hot ? 330 : 250) + ((i * 7 + d * 3) % 5);
    const temp = hot ? 90 : 60 + (i % 3);
    return `${T0 + i * 1000},rig0,gpu${d},${power},${temp},${60e6 + ((i * 13) % 7) * 1e4},${hot ? 100 : 60},350`;
  };
  if (deviceMajor) for (let d = 0; d < 2; d += 1) for (let i = 0; i < 600; i += 1) rows.push(row(i, d));
  else for (let i = 0; i < 600; i += 1) for (let d = 0; d < 2; d += 1) rows.push(row(i, d));
  return `${rows.join('\n')}\n`;
}

test('events at ts_detected, advice at its raise, exposure per device', async () => {
  const path = join(dir, 'hot.csv');
  writeFileSync(path, trace());
  const [c] = buildCandidates([], undefined, {});
  const r = await replayTrace(3, path, c, false);
  assert.equal(r.records, 1200);
  assert.deepEqual(
    r.exposures.map((e) => [e.trace, e.device, e.firstMs, e.lastMs, e.samples]),
    [
      [3, 'gpu0', T0, T0 + 599_000, 600],
      [3, 'gpu1', T0, T0 + 599_000, 600],
    ],
  );
  const events = r.signals.filter((s) => s.source === 'event' && s.device === 'gpu0');
  assert.ok(
    events.some((s) => s.tsMs >= T0 + 300_000 && s.tsMs <= T0 + 320_000),
    'the jump at 300 s is detected',
  );
  const advice = r.signals.filter((s) => s.source === 'advice');
  assert.ok(advice.length > 0, 'a hot device with its fan at 100 % raises advice');
  for (const a of advice) {
    assert.equal(a.trace, 3);
    assert.ok(a.tsMs >= T0 + 300_000, `advice at ${a.tsMs - T0} ms comes after the fault`);
    assert.equal(a.class, null);
  }
});

test('a rig with autotune off gives events but no advice', async () => {
  const path = join(dir, 'hot.csv');
  writeFileSync(path, trace());
  const cfg = join(dir, 'off.yaml');
  writeFileSync(
    cfg,
    'rigs:\n  - name: rig0\n    sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]\n    autotune: off\n',
  );
  const [c] = buildCandidates([cfg], undefined, {});
  const r = await replayTrace(0, path, c, false);
  assert.equal(r.signals.filter((s) => s.source === 'advice').length, 0);
  assert.ok(r.signals.some((s) => s.source === 'event'));
});

test('rows sorted by device instead of time are refused with the file named', async () => {
  const path = join(dir, 'device-major.csv');
  writeFileSync(path, trace(true));
  const [c] = buildCandidates([], undefined, {});
  await assert.rejects(
    replayTrace(0, path, c, false),
    (e) => isRigtuneError(e, 'RT_INPUT_TIME') && e.where.file === path,
  );
});
