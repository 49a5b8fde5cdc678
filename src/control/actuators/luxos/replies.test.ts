// The pure readers of LuxOS replies over the documented shapes (wire-formats §3.5, LuxOS API docs):
// steps as strings, atm with and without power targeting, and malformed replies giving null.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  boardProfilesOf,
  modelOf,
  powerTargetOf,
  profileNameAt,
  profileStepLimitsOf,
  profileStepOf,
  profilesOf,
  sessionIdOf,
  stockProfileOf,
} from './replies.ts';

const status = (code: number, msg: string) => [
  { Code: code, Description: 'LUXminer 2026.5.22.201758-9e148a7ea', Msg: msg, STATUS: 'S', When: 1779709270 },
];

test('logon: SESSION[0].SessionID (LuxOS sessions docs); none or empty is null', () => {
  assert.equal(
    sessionIdOf({ SESSION: [{ SessionID: 'yJN2nlj1' }], STATUS: status(316, 'Session created'), id: 1 }),
    'yJN2nlj1',
  );
  assert.equal(sessionIdOf({ STATUS: [{ STATUS: 'E', Code: 402, Msg: 'Another session is active' }] }), null);
  assert.equal(sessionIdOf({ SESSION: [{ SessionID: '' }] }), null);
});

test('atm: PowerTarget/PowerMin/PowerLimit in power-targeting mode (atm docs), else null', () => {
  const base = {
    ChipTempWindow: 8.0,
    Enabled: false,
    MaxProfile: 'default',
    MinProfile: '',
    TempWindow: 8.0,
  };
  const powered = {
    ATM: [{ ...base, PowerLimit: 3500, PowerMin: 2800, PowerTarget: 3320 }],
    STATUS: status(339, 'ATM configuration values'),
  };
  assert.deepEqual(powerTargetOf(powered), { targetW: 3320, minW: 2800, limitW: 3500 });
  assert.equal(powerTargetOf({ ATM: [base], STATUS: status(339, 'ATM configuration values') }), null);
  assert.equal(powerTargetOf({ ATM: [{ PowerLimit: 2000, PowerMin: 2800, PowerTarget: 2500 }] }), null);
  assert.equal(powerTargetOf({ ATM: [] }), null);
});

test('profiles: names, signed string steps, watts; the stock profile is "default"', () => {
  const reply = {
    PROFILES: [
      { 'Profile Name': '190MHz', Step: '-16', Frequency: 190, Voltage: 11.88, Watts: 784, Hashrate: 39.2 },
      { 'Profile Name': 'default', Step: '0', Frequency: 290, Watts: 1051 },
      { 'Profile Name': '315MHz', Step: '+1', Frequency: 315, Watts: 1120 },
      { 'Profile Name': 'custom', Step: '', Frequency: 300 },
      { Step: '2' },
    ],
  };
  const rows = profilesOf(reply);
  assert.deepEqual(rows, [
    { name: '190MHz', step: -16, watts: 784 },
    { name: 'default', step: 0, watts: 1051 },
    { name: '315MHz', step: 1, watts: 1120 },
    { name: 'custom', step: null, watts: null },
  ]);
  assert.deepEqual(profileStepLimitsOf(rows), { min: -16, max: 1, step: 1, default: 0 });
  assert.equal(stockProfileOf(rows)?.watts, 1051);
  assert.equal(profileNameAt(rows, -16), '190MHz');
  assert.equal(profileNameAt(rows, 0), 'default');
  assert.equal(profileNameAt(rows, -3), null);
  assert.equal(profileStepOf(rows, '315MHz'), 1);
  assert.equal(profileStepOf(rows, 'default'), 0);
  assert.equal(profileStepOf(rows, 'custom'), null);
  assert.equal(profileStepLimitsOf([]), null);
});

test('devs and version: each board profile by ASC, the model from VERSION Type', () => {
  const devs = {
    DEVS: [
      { ASC: 0, Name: 'BTM', ID: 0, Board: 'BHB56903', Connector: 'J8', Profile: '290MHz', IsRamping: false },
      { ASC: 1, Name: 'BTM', ID: 1, Profile: '' },
      { Name: 'BTM' },
    ],
  };
  assert.deepEqual(boardProfilesOf(devs), [
    { asc: 0, profile: '290MHz' },
    { asc: 1, profile: null },
  ]);
  assert.equal(modelOf({ VERSION: [{ API: '3.7', Type: 'Antminer S19k Pro' }] }), 'Antminer S19k Pro');
  assert.equal(modelOf({ VERSION: [{ API: '3.7' }] }), null);
});

test('any JSON value: the readers never throw', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      sessionIdOf(v);
      modelOf(v);
      const p = powerTargetOf(v);
      if (p !== null) assert.ok(p.minW <= p.limitW);
      profileStepLimitsOf(profilesOf(v));
      boardProfilesOf(v);
    }),
    { seed: 7, numRuns: 300 },
  );
});
