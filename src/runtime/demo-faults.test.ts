// Matching rupture events to the demo's injected faults: wire device names per fault kind, events before
// the onset or on other rigs not counted, knock-on events on a faulted rig apart from false alarms.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuptureClass, RuptureEvent } from '../core/scores.ts';
import { Fleet, parseFaultSpec } from '../sim/index.ts';
import { faultDevices, formatFaultReport, matchFaultEvents } from './demo-faults.ts';

const START = Date.UTC(2026, 2, 1, 10);
/** The clock saw simulation time t at t + SHIFT. */
const SHIFT = 250;

function fleet(): Fleet {
  const f = new Fleet({
    seed: 1,
    startMs: START,
    gpuRigs: 2,
    gpusPerRig: 2,
    asics: 1,
    settleS: 30,
    faults: parseFaultSpec(
      'fan_failure@rig0/gpu1@10s,pool_latency@rig1@20s+10s,hashboard_dropout@asic0/board0@30s,' +
        'driver_crash@rig1/gpu0@40s,thermal_paste@asic0/board2@50s,fan_failure@asic0@60s',
    ),
  });
  for (let s = 0; s < 45; s++) f.step(1000);
  return f;
}

function event(rig: string, device: string, atS: number, cls: RuptureClass = 'meso'): RuptureEvent {
  const ts = START + SHIFT + atS * 1000;
  return {
    type: 'event',
    ts_start: ts - 2000,
    ts_detected: ts,
    rig,
    device,
    class: cls,
    channels: ['temp_core_c'],
    hazard: 0.9,
  };
}

test('fault devices as the sources name them', () => {
  const f = fleet();
  const labels = f.labels();
  assert.deepEqual(
    labels.map((l) => faultDevices(f, l)),
    [['0000:02:00.0'], null, ['board1', 'total'], ['0000:01:00.0', 'total']],
  );
  const asicOnly = new Fleet({
    seed: 1,
    startMs: START,
    gpuRigs: 0,
    gpusPerRig: 0,
    asics: 1,
    settleS: 10,
    faults: parseFaultSpec('thermal_paste@asic0/board2@1s,fan_failure@asic0@1s'),
  });
  asicOnly.step(1000);
  assert.deepEqual(
    asicOnly.labels().map((l) => faultDevices(asicOnly, l)),
    [['board3'], ['total']],
  );
});

test('events are matched to the faults started, after their onset, on their devices', () => {
  const f = fleet();
  const events = [
    event('rig0', '0000:02:00.0', 9), // before the fan failure: a false alarm
    event('rig0', '0000:02:00.0', 24, 'micro'),
    event('rig0', '0000:02:00.0', 30, 'macro'),
    event('rig0', 'total', 25), // the rig's hash rate: knock-on
    event('rig1', 'total', 22), // pool latency: any device of rig1
    event('asic0', 'total', 31),
    event('asic0', 'board2', 33), // another board: knock-on
    event('rig1', '0000:01:00.0', 41), // the crash, also counts for the pool fault
    event('rig9', 'total', 5),
  ];
  const r = matchFaultEvents(f, (ms) => ms + SHIFT, events);
  assert.deepEqual(
    r.faults.map((c) => [c.name, c.events, c.firstDelayMs, c.worstClass]),
    [
      ['fan_failure@rig0/gpu1', 2, 14_000, 'macro'],
      ['pool_latency@rig1', 2, 2000, 'meso'],
      ['hashboard_dropout@asic0/board0', 1, 1000, 'meso'],
      ['driver_crash@rig1/gpu0', 1, 1000, 'meso'],
    ],
  );
  assert.equal(r.collateral, 2);
  assert.deepEqual(
    r.unexplained.map((e) => `${e.rig}/${e.device}`),
    ['rig0/0000:02:00.0', 'rig9/total'],
  );
});

test('the report has one line per started fault and one for the rest', () => {
  const f = fleet();
  const r = matchFaultEvents(f, (ms) => ms + SHIFT, [event('rig0', '0000:02:00.0', 16)]);
  assert.deepEqual(formatFaultReport(r), [
    '  fan_failure@rig0/gpu1: 1 event on 0000:02:00.0, first 6 s after onset, worst meso',
    '  pool_latency@rig1: not caught yet (watching any device)',
    '  hashboard_dropout@asic0/board0: not caught yet (watching board1 or total)',
    '  driver_crash@rig1/gpu0: not caught yet (watching 0000:01:00.0 or total)',
    '  other events: 0 on faulted rigs, 0 unexplained',
  ]);
});
