// Tests of the per-rig scorer and state: latest tick per device, a bad device sample isolated, bursts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot, type Snapshot } from '../core/snapshot.ts';
import { RigScorer } from './rig-scorer.ts';

const T0 = 1_780_000_000_000;

function snap(device: string, i: number, power_w: number): Snapshot {
  return { ...emptySnapshot(T0 + i * 1000, 'rig-a', device), power_w, temp_core_c: 60 + (i % 3) };
}

test('state holds the newest tick of every device, ordered by name', () => {
  const rs = new RigScorer('rig-a');
  rs.score([snap('gpu1', 0, 200), snap('gpu0', 0, 210)]);
  const r = rs.score([snap('gpu1', 1, 201)]);
  assert.deepEqual(
    r.state.devices.map((d) => [d.device, d.ts]),
    [
      ['gpu0', T0],
      ['gpu1', T0 + 1000],
    ],
  );
  assert.equal(r.state.ts, T0 + 1000);
  assert.equal(r.state.rig, 'rig-a');
  assert.equal(r.state.schema, 1);
});

test('a device whose time goes backwards is rejected alone; the others are scored', () => {
  const rs = new RigScorer('rig-a');
  rs.score([snap('gpu0', 5, 200), snap('gpu1', 5, 200)]);
  const r = rs.score([snap('gpu0', 4, 200), snap('gpu1', 6, 200)]);
  assert.deepEqual(
    r.rejected.map((x) => [x.device, x.error.code]),
    [['gpu0', 'RT_INPUT_TIME']],
  );
  assert.deepEqual(
    r.scores.map((s) => s.device),
    ['gpu1'],
  );
  assert.equal(r.state.devices.length, 2);
});

test('a clear step makes the rig suspect and closes an event on flush', () => {
  const rs = new RigScorer('rig-a');
  let suspect = false;
  const events = [];
  for (let i = 0; i < 120; i += 1) {
    const noise = ((i * 7919) % 13) / 13 - 0.5;
    const r = rs.score([snap('gpu0', i, (i < 80 ? 200 : 300) + noise)]);
    if (i < 80) assert.equal(r.suspect, false, `sample ${i}`);
    else suspect ||= r.suspect;
    events.push(...r.events);
  }
  events.push(...rs.flush());
  assert.equal(suspect, true);
  assert.deepEqual(
    events.map((e) => [e.ts_start, e.channels.includes('power_w')]),
    [[T0 + 80_000, true]],
  );
});
