import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type ControlRecord, SCHEMA_VERSION } from '../../core/sink.ts';
import { MemoryState, makeState, makeTick, readJson, startTestApi, testDeps } from '../test-kit.ts';

const state = new MemoryState();
const r1 = makeState('rig-01', [
  makeTick('rig-01', 'gpu0', 2000, { sep_score: 72.5, rupture_class: 'micro' }),
  makeTick('rig-01', 'gpu1', 2500, { sep_score: 91, rupture_class: 'none' }),
]);
state.publish(r1);
state.publish(
  makeState('rig-02', [makeTick('rig-02', 'asic0', 1500, { sep_score: 12, rupture_class: 'macro' })]),
);
state.addRig('rig-03'); // configured, not scored yet
state.addControl({ kind: 'advice', rig: 'rig-01', ts: 2100, payload: { text: 'lower power limit' } });
state.addControl({ kind: 'action', rig: 'rig-01', ts: 2200, payload: { set: { power_limit_w: 250 } } });
state.addControl({ kind: 'advice', rig: 'rig-01', ts: 2300, payload: { text: 'check fan' } });
interface RigJson {
  schema: number;
  rig: string;
  state: unknown;
  advice: ControlRecord[];
  actions: ControlRecord[];
}

const { api, url } = await startTestApi(testDeps({ state }));
after(() => api.close());

test('GET /api/rigs: every rig with its summary, sorted', async () => {
  const res = await fetch(`${url}/api/rigs`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    schema: SCHEMA_VERSION,
    rigs: [
      {
        rig: 'rig-01',
        ts: 2500,
        devices: 2,
        worst_rupture_class: 'micro',
        min_sep_score: 72.5,
        min_sep_score_device: 'gpu0',
      },
      {
        rig: 'rig-02',
        ts: 1500,
        devices: 1,
        worst_rupture_class: 'macro',
        min_sep_score: 12,
        min_sep_score_device: 'asic0',
      },
      {
        rig: 'rig-03',
        ts: null,
        devices: 0,
        worst_rupture_class: null,
        min_sep_score: null,
        min_sep_score_device: null,
      },
    ],
  });
});

test('GET /api/rigs: an unknown parameter is a 400', async () => {
  const res = await fetch(`${url}/api/rigs?rig=rig-01`);
  assert.equal(res.status, 400);
  assert.equal((await readJson(res)).error.param, 'rig');
});

test('GET /api/rigs/:rig: the latest state and the control records split by kind, newest last', async () => {
  const res = await fetch(`${url}/api/rigs/rig-01`);
  assert.equal(res.status, 200);
  const body = await readJson<RigJson>(res);
  assert.deepEqual(body.state, JSON.parse(JSON.stringify(r1)));
  assert.equal(body.rig, 'rig-01');
  assert.equal(body.schema, SCHEMA_VERSION);
  assert.deepEqual(
    body.advice.map((a: { ts: number }) => a.ts),
    [2100, 2300],
  );
  assert.deepEqual(body.actions, [
    { kind: 'action', rig: 'rig-01', ts: 2200, payload: { set: { power_limit_w: 250 } } },
  ]);
});

test('GET /api/rigs/:rig: a known rig without a score yet has state null', async () => {
  const res = await fetch(`${url}/api/rigs/rig-03`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    schema: SCHEMA_VERSION,
    rig: 'rig-03',
    state: null,
    advice: [],
    actions: [],
  });
});

test('GET /api/rigs/:rig: an unknown rig is a 404 RT_API_NOT_FOUND naming it', async () => {
  const res = await fetch(`${url}/api/rigs/nope`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await res.json(), {
    error: { code: 'RT_API_NOT_FOUND', message: "unknown rig 'nope'; GET /api/rigs lists the known rigs" },
  });
});

test('GET /api/rigs/:rig: an escaped rig name is decoded', async () => {
  const res = await fetch(`${url}/api/rigs/rig%2D01`);
  assert.equal(res.status, 200);
  assert.equal((await readJson<RigJson>(res)).rig, 'rig-01');
});
