import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rigStatus, summarizeRig } from './summary.ts';
import { makeState, makeTick } from './test-kit.ts';

test('a rig not scored yet: nulls and zero devices', () => {
  assert.deepEqual(summarizeRig('r1', null), {
    rig: 'r1',
    status: 'waiting',
    sources: [],
    ts: null,
    devices: 0,
    worst_rupture_class: null,
    min_sep_score: null,
    min_sep_score_device: null,
  });
});

test('worst class, lowest score and its device, newest time', () => {
  const state = makeState('r1', [
    makeTick('r1', 'gpu0', 1000, { sep_score: 80, rupture_class: 'micro' }),
    makeTick('r1', 'gpu1', 3000, { sep_score: 40, rupture_class: 'meso' }),
    makeTick('r1', 'gpu2', 2000, { sep_score: 40, rupture_class: 'none' }),
    makeTick('r1', 'gpu3', 2500, { sep_score: null }),
  ]);
  assert.deepEqual(summarizeRig('r1', state), {
    rig: 'r1',
    status: 'scored',
    sources: [],
    ts: 3000,
    devices: 4,
    worst_rupture_class: 'meso',
    min_sep_score: 40,
    min_sep_score_device: 'gpu1',
  });
});

test('no device has a score yet: min_sep_score is null', () => {
  const state = makeState('r1', [makeTick('r1', 'gpu0', 1000, { sep_score: null })]);
  const s = summarizeRig('r1', state);
  assert.equal(s.min_sep_score, null);
  assert.equal(s.min_sep_score_device, null);
  assert.equal(s.worst_rupture_class, 'none');
});

test('status: waiting before a score, scored, removed once no longer configured', () => {
  const state = makeState('r1', [makeTick('r1', 'gpu0', 1000)]);
  const sources = [{ id: 'r1/nvml', kind: 'nvml', status: 'up' as const }];
  assert.equal(rigStatus(null, sources), 'waiting');
  assert.equal(rigStatus(state, sources), 'scored');
  assert.equal(rigStatus(state, undefined), 'scored', 'no configuration view');
  assert.equal(rigStatus(state, null), 'removed');
  assert.deepEqual(summarizeRig('r1', null, sources).sources, sources);
});
