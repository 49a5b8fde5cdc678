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
const adviceAt = (ts: number, id: string, state: string): ControlRecord => ({
  kind: 'advice',
  rig: 'rig-01',
  ts,
  payload: { id, state, reason: `${id} ${state}` },
});
state.addControl(adviceAt(2100, 'lower_power_limit:rig-01:gpu0:2100', 'active'));
state.addControl({ kind: 'action', rig: 'rig-01', ts: 2200, payload: { set: { power_limit_w: 250 } } });
state.addControl(adviceAt(2300, 'check_fan:rig-01:gpu1:2300', 'active'));
state.addControl(adviceAt(2400, 'lower_power_limit:rig-01:gpu0:2100', 'active')); // an update
state.addControl(adviceAt(2450, 'check_pool:rig-01:*:2000', 'cleared'));
state.addControl({ kind: 'advice', rig: 'rig-01', ts: 2500, payload: { text: 'no id' } });
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
        status: 'scored',
        sources: [],
        ts: 2500,
        devices: 2,
        worst_rupture_class: 'micro',
        min_sep_score: 72.5,
        min_sep_score_device: 'gpu0',
      },
      {
        rig: 'rig-02',
        status: 'scored',
        sources: [],
        ts: 1500,
        devices: 1,
        worst_rupture_class: 'macro',
        min_sep_score: 12,
        min_sep_score_device: 'asic0',
      },
      {
        rig: 'rig-03',
        status: 'waiting',
        sources: [],
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

test('GET /api/rigs/:rig: the latest state, the active advice (newest record per episode) and the actions', async () => {
  const res = await fetch(`${url}/api/rigs/rig-01`);
  assert.equal(res.status, 200);
  const body = await readJson<RigJson>(res);
  assert.deepEqual(body.state, JSON.parse(JSON.stringify(r1)));
  assert.equal(body.rig, 'rig-01');
  assert.equal(body.schema, SCHEMA_VERSION);
  // Folded from the control history (no `advice` view given): cleared and id-less records left out.
  assert.deepEqual(body.advice, [
    adviceAt(2400, 'lower_power_limit:rig-01:gpu0:2100', 'active'),
    adviceAt(2300, 'check_fan:rig-01:gpu1:2300', 'active'),
  ]);
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
    status: 'waiting',
    sources: [],
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

test('configured rigs are listed before their first score, with their sources; removed ones say so', async () => {
  const store = new MemoryState();
  store.publish(makeState('old', [makeTick('old', 'gpu0', 1000)]));
  store.publish(makeState('rig-a', [makeTick('rig-a', 'gpu0', 2000, { sep_score: 50 })]));
  const configured = [
    { rig: 'rig-b', sources: [{ id: 'rig-b/cgminer', kind: 'cgminer', status: 'waiting' as const }] },
    { rig: 'rig-a', sources: [{ id: 'rig-a/nvml', kind: 'nvml', status: 'up' as const }] },
  ];
  const started = await startTestApi(testDeps({ state: store, configured: () => configured }));
  try {
    const body = await readJson<{ rigs: Array<Record<string, unknown>> }>(
      await fetch(`${started.url}/api/rigs`),
    );
    assert.deepEqual(
      body.rigs.map((r) => [r.rig, r.status, r.devices]),
      [
        ['old', 'removed', 1],
        ['rig-a', 'scored', 1],
        ['rig-b', 'waiting', 0],
      ],
    );
    assert.deepEqual(body.rigs[2].sources, configured[0].sources);
    const one = await fetch(`${started.url}/api/rigs/rig-b`);
    assert.equal(one.status, 200);
    const rig = await readJson<RigJson & { status: string; sources: unknown[] }>(one);
    assert.equal(rig.status, 'waiting');
    assert.equal(rig.state, null);
    assert.deepEqual(rig.sources, configured[0].sources);
    assert.equal((await fetch(`${started.url}/api/rigs/nope`)).status, 404);
  } finally {
    await started.api.close();
  }
});
