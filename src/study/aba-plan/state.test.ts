// study.json: a valid file parses; a wrong version, a bad id, an unknown key or broken JSON is an
// RT_STUDY_STATE error naming the file and the field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStudyFile, STUDY_FILE_VERSION, type StudyFile } from './state.ts';

const VALID: StudyFile = {
  version: STUDY_FILE_VERSION,
  study_id: 'pl-20',
  status: 'running',
  created_ms: 1,
  updated_ms: 2,
  plan: {
    rigs: ['rig1'],
    devices: null,
    treatment: 'power_limit_w=-20',
    durations_ms: { A1: 1, B: 1, A2: 1 },
  },
  modes_before: {},
  devices: [
    {
      rig: 'rig1',
      device: 'gpu0',
      phase: 'B',
      started_ms: { A1: 1, B: 2 },
      setpoints: [{ kind: 'power_limit_w', baseline: 350, target: 330 }],
    },
  ],
  reasons: [],
  events: [{ ts_ms: 2, rig: 'rig1', device: 'gpu0', kind: 'rupture', detail: 'meso rupture in phase B' }],
};

test('a valid study.json round-trips', () => {
  assert.deepEqual(parseStudyFile(JSON.stringify(VALID), 'study.json'), VALID);
});

test('bad files are RT_STUDY_STATE errors naming the field', () => {
  const cases: Array<[string, RegExp]> = [
    ['{', /study\.json: not JSON/],
    [JSON.stringify({ ...VALID, version: 2 }), /version/],
    [JSON.stringify({ ...VALID, study_id: '../x' }), /study_id/],
    [JSON.stringify({ ...VALID, extra: 1 }), /extra/],
    [JSON.stringify({ ...VALID, devices: [{ ...VALID.devices[0], phase: 'C' }] }), /devices\.0\.phase/],
  ];
  for (const [text, message] of cases)
    assert.throws(() => parseStudyFile(text, 'study.json'), { code: 'RT_STUDY_STATE', message });
});
