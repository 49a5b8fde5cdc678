// The simulated XMRig HTTP API over real sockets on 127.0.0.1: /2/summary and /2/backends have the
// shape of XMRig's documented replies (fixtures/xmrig/6.17.1-dev) and carry the simulated rig's state.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { parseFaultSpec } from '../faults.ts';
import { Fleet } from '../fleet.ts';
import { serveXmrig, type XmrigEndpoint } from './xmrig-server.ts';

const START = Date.UTC(2026, 10, 1, 12);
const fleet = new Fleet({
  seed: 8,
  startMs: START,
  gpuRigs: 1,
  gpusPerRig: 3,
  gpuModel: 'rtx3080ti',
  algo: 'kawpow',
  asics: 1,
  settleS: 300,
  faults: parseFaultSpec('driver_crash@rig0/gpu2@5m'),
});
const rig = fleet.rig('rig0');
let server: XmrigEndpoint;
let locked: XmrigEndpoint;

before(async () => {
  for (let s = 0; s < 1000; s++) fleet.step(1000);
  server = await serveXmrig(rig);
  locked = await serveXmrig(rig, { accessToken: 's3cret' });
});
after(async () => {
  await server.close();
  await locked.close();
});

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/xmrig/6.17.1-dev/${name}`, import.meta.url), 'utf8'));

/** Every key path of `ref` (through objects, and the first element of arrays) exists in `got` with a compatible type. */
function assertShape(got: unknown, ref: unknown, path = '$'): void {
  if (ref === null || got === null) return;
  if (Array.isArray(ref)) {
    assert.ok(Array.isArray(got), `${path}: array expected`);
    if (ref.length > 0 && got.length > 0) assertShape(got[0], ref[0], `${path}[0]`);
    return;
  }
  if (typeof ref === 'object') {
    assert.ok(typeof got === 'object' && !Array.isArray(got), `${path}: object expected`);
    for (const [k, v] of Object.entries(ref as Record<string, unknown>)) {
      assert.ok(k in (got as object), `${path}.${k} missing`);
      assertShape((got as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
    return;
  }
  assert.equal(typeof got, typeof ref, `${path}: ${typeof ref} expected`);
}

type Rec = Record<string, unknown>;

test('/2/summary has the shape of XMRig 6.17.1 summary.json and the rig totals', async () => {
  const r = await get(server.port, '/2/summary');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json');
  assertShape(r.body, fixture('summary.json'));
  const s = r.body as Rec;
  assert.equal(s.kind, 'miner');
  assert.equal(s.worker_id, 'rig0');
  assert.equal(s.uptime, 1000);
  assert.equal(s.algo, 'kawpow');
  const healthy = rig.gpus.filter((g) => !g.isOffBus);
  const total = (s.hashrate as Rec).total as (number | null)[];
  assert.equal(total.length, 3);
  assert.ok(Math.abs((total[0] ?? 0) - healthy.reduce((a, g) => a + g.hashrate5s, 0)) < 0.02);
  assert.ok(Math.abs((total[1] ?? 0) - healthy.reduce((a, g) => a + g.hashrate1m, 0)) < 0.02);
  assert.notEqual(total[2], null, '15-minute window filled after 1000 s');
  const res = s.results as Rec;
  const good = rig.gpus.reduce((a, g) => a + g.shares.accepted, 0);
  const all = rig.gpus.reduce((a, g) => a + g.shares.accepted + g.shares.rejected + g.shares.stale, 0);
  assert.equal(res.shares_good, good);
  assert.equal(res.shares_total, all);
  assert.equal(res.diff_current, rig.pool.config.difficulty);
  assert.equal((s.connection as Rec).ping, Math.round(rig.pool.latencyMs));
  assert.equal((s.connection as Rec).accepted, good);
});

test('/2/backends: one CUDA thread per GPU with bus id and NVML health; a GPU off the bus reads zeros', async () => {
  const r = await get(server.port, '/2/backends');
  assert.equal(r.status, 200);
  const backends = r.body as Rec[];
  const ref = fixture('backends.json') as Rec[];
  assertShape(backends[1], ref[1]);
  const cuda = backends.find((b) => b.type === 'cuda')!;
  const threads = cuda.threads as Rec[];
  assert.equal(threads.length, 3);
  for (const [i, t] of threads.entries()) {
    const g = rig.gpus[i];
    assert.equal(t.bus_id, `0${i + 1}:00.0`);
    assert.equal(t.name, 'NVIDIA GeForce RTX 3080 Ti');
    const h = t.health as Rec;
    if (g.isOffBus) {
      assert.deepEqual(h, { temperature: 0, power: 0, clock: 0, mem_clock: 0, fan_speed: [] });
      assert.deepEqual(t.hashrate, [0, 0, 0]);
    } else {
      assert.equal(h.temperature, Math.round(g.tempDieC));
      assert.equal(h.power, Math.round(g.reportedPowerW));
      assert.equal(h.clock, g.reportedCoreMhz);
      assert.deepEqual(h.fan_speed, [Math.round(g.fanPct)]);
    }
  }
  assert.ok(rig.gpus[2].isOffBus);
});

test('windows are null until filled, as XMRig reports a fresh start', async () => {
  const fresh = new Fleet({ seed: 1, startMs: START, gpuRigs: 1, gpusPerRig: 1, asics: 0, settleS: 10 });
  for (let s = 0; s < 30; s++) fresh.step(1000);
  const ep = await serveXmrig(fresh.rig('rig0'));
  try {
    const total = ((await get(ep.port, '/2/summary')).body as Rec).hashrate as Rec;
    const w = total.total as (number | null)[];
    assert.ok(typeof w[0] === 'number' && w[0] > 0);
    assert.equal(w[1], null);
    assert.equal(w[2], null);
  } finally {
    await ep.close();
  }
});

test('a miner already running (minerUptimeS) has its windows filled from the first reply', async () => {
  const running = new Fleet({
    seed: 1,
    startMs: START,
    gpuRigs: 1,
    gpusPerRig: 1,
    asics: 0,
    settleS: 10,
    minerUptimeS: 3600,
  });
  const ep = await serveXmrig(running.rig('rig0'));
  try {
    const s = (await get(ep.port, '/2/summary')).body as Rec;
    assert.equal(s.uptime, 3600);
    const w = (s.hashrate as Rec).total as (number | null)[];
    assert.ok(w.every((x) => typeof x === 'number' && x > 0));
  } finally {
    await ep.close();
  }
});

test('errors: 404 for unknown paths, 401 without the access token, 200 with it', async () => {
  const nf = await get(server.port, '/nope');
  assert.equal(nf.status, 404);
  assert.equal((await get(locked.port, '/2/summary')).status, 401);
  assert.equal((await get(locked.port, '/2/summary', { Authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await get(locked.port, '/2/summary', { Authorization: 'Bearer s3cret' })).status, 200);
  await assert.rejects(serveXmrig(fleet.rig('asic0')), (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'));
});

test('onRequest runs before each reply reads the rig: a pacer steps the fleet per request', async () => {
  const paced = new Fleet({ seed: 2, startMs: START, gpuRigs: 1, gpusPerRig: 1, asics: 0, settleS: 10 });
  let calls = 0;
  const ep = await serveXmrig(paced.rig('rig0'), {
    onRequest: () => {
      calls++;
      paced.step(1000);
    },
  });
  try {
    assert.equal(((await get(ep.port, '/2/summary')).body as Rec).uptime, 1);
    assert.equal(((await get(ep.port, '/2/summary')).body as Rec).uptime, 2);
    assert.equal((await get(ep.port, '/2/backends')).status, 200);
    assert.equal(calls, 3);
  } finally {
    await ep.close();
  }
});
