import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { HealthReport } from '../health.ts';
import { readJson, startTestApi, testDeps } from '../test-kit.ts';

let report: HealthReport = { status: 'ok', components: {} };
const { api, url } = await startTestApi(testDeps({ health: () => report, version: '1.2.3' }));
after(() => api.close());

test('ok: 200 with status, version and components', async () => {
  report = {
    status: 'ok',
    components: {
      runtime: { ok: true, ticks: 4 },
      'sink.embedded': { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null },
    },
  };
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { status: 'ok', version: '1.2.3', components: report.components });
});

test('degraded: still 200', async () => {
  report = {
    status: 'degraded',
    components: {
      'sink.valkey': { ok: false, queued: 0, spooled: 7, dropped: 0, lastError: 'ECONNREFUSED' },
    },
  };
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  const body = await readJson<{ status: string; components: Record<string, { spooled: number }> }>(res);
  assert.equal(body.status, 'degraded');
  assert.equal(body.components['sink.valkey'].spooled, 7);
});

test('down: 503 with the same body shape', async () => {
  report = { status: 'down', components: { runtime: { ok: false, lastError: 'tick loop stalled' } } };
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 503);
  assert.equal((await readJson<{ status: string }>(res)).status, 'down');
});

test('an unknown parameter is a 400', async () => {
  const res = await fetch(`${url}/healthz?verbose=1`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    error: { code: 'RT_API_PARAM', message: "unknown parameter 'verbose'", param: 'verbose' },
  });
});
