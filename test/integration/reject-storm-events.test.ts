// The simulator's reject_storm fault through FleetScorer: every device of the stormy rigs (each H100 GPU
// and the S19's total) gets one reject_rate event soon after the storm starts; healthy devices get none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetScorer, type RuptureEvent } from '../../src/pipeline/index.ts';
import { Fleet, parseFaultSpec } from '../../src/sim/index.ts';

const START_MS = Date.UTC(2026, 10, 1, 12);
const STORM_FROM_S = 20 * 60;
/** Longest accepted time from the storm's start to its declaration (H100: a share per ~10 s). */
const MAX_DELAY_S = 600;

test('reject_storm on rig1 and asic0 (20m+15m): one reject_rate event per stormy device, none elsewhere', (t) => {
  // rig0: RTX 3080 Ti (a share per ~40 s), healthy; rig1: H100 (a share per ~10 s) and asic0 (S19, a
  // share per ~9 s on its `total`; the boards have no share counters) under a 50 % reject storm.
  const fleet = new Fleet({
    seed: 7,
    startMs: START_MS,
    gpuRigs: 2,
    gpusPerRig: 4,
    asics: 1,
    faults: parseFaultSpec('reject_storm@rig1@20m+15m,reject_storm@asic0@20m+15m'),
  });
  const scorer = new FleetScorer();
  const events: RuptureEvent[] = [];
  for (let s = 0; s < 45 * 60; s += 1) {
    fleet.step(1000);
    for (const snap of fleet.snapshots()) events.push(...scorer.push(snap).events);
  }
  events.push(...scorer.flush());
  const storm = events.filter((e) => e.channels.includes('reject_rate'));
  const stormy = ['asic0/total', 'rig1/gpu0', 'rig1/gpu1', 'rig1/gpu2', 'rig1/gpu3'];
  const found = storm.map((e) => `${e.rig}/${e.device}`).sort();
  assert.deepEqual(found, stormy, JSON.stringify(storm));
  const stormMs = START_MS + STORM_FROM_S * 1000;
  const delays: string[] = [];
  for (const e of storm) {
    const delayS = (e.ts_detected - stormMs) / 1000;
    const startS = (e.ts_start - stormMs) / 1000;
    delays.push(`${e.rig}/${e.device} ${delayS} s (start ${startS} s)`);
    assert.ok(delayS >= 0 && delayS <= MAX_DELAY_S, `${e.rig}/${e.device}: declared ${delayS} s after`);
    assert.ok(startS >= -180 && e.ts_start <= e.ts_detected, `${e.rig}/${e.device}: start ${startS} s`);
  }
  t.diagnostic(`reject_rate declarations after the storm began: ${delays.join('; ')}`);
});
