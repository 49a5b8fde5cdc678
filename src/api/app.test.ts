import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { createApi } from './app.ts';
import { readJson, testDeps } from './test-kit.ts';

test('binds 127.0.0.1 by default and reports its address', async () => {
  const api = createApi(testDeps());
  const address = await api.listen({ port: 0 });
  try {
    assert.equal(address.host, '127.0.0.1');
    assert.ok(address.port > 0);
    assert.equal(address.url, `http://127.0.0.1:${address.port}`);
    assert.equal((await fetch(`${address.url}/healthz`)).status, 200);
  } finally {
    await api.close();
    await api.close(); // idempotent
  }
});

test('an unknown route is a JSON 404 RT_API_NOT_FOUND', async () => {
  const api = createApi(testDeps());
  const { url } = await api.listen({ port: 0 });
  try {
    const res = await fetch(`${url}/api/nothing?x=1`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      error: {
        code: 'RT_API_NOT_FOUND',
        message: 'no route GET /api/nothing; see docs/api.md for the routes',
      },
    });
    const post = await fetch(`${url}/api/rigs`, { method: 'POST' });
    assert.equal(post.status, 404);
    assert.equal((await readJson(post)).error.code, 'RT_API_NOT_FOUND');
  } finally {
    await api.close();
  }
});

test('unexpected errors are logged once under component api; client errors are not', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const api = createApi(
    testDeps({
      logger,
      metrics: async () => {
        throw new Error('registry broke');
      },
    }),
  );
  const { url } = await api.listen({ port: 0 });
  try {
    assert.equal((await fetch(`${url}/healthz?x=1`)).status, 400);
    assert.equal((await fetch(`${url}/metrics`)).status, 500);
  } finally {
    await api.close();
  }
  const errors = lines.filter((l) => (l.level as number) >= 50);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].msg, 'API request failed.');
  assert.equal(errors[0].component, 'api');
  assert.match(String((errors[0].err as { message: string }).message), /registry broke/);
  assert.equal(
    lines.some((l) => l.msg === 'incoming request'),
    false,
    'no per-request log lines',
  );
});
