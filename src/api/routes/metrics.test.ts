import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readJson, startTestApi, testDeps } from '../test-kit.ts';

const BODY =
  '# HELP rigtune_sep_score Health score.\n# TYPE rigtune_sep_score gauge\nrigtune_sep_score{rig="r1",device="gpu0"} 87\n';
let fail = false;
const { api, url } = await startTestApi(
  testDeps({
    metrics: async () => {
      if (fail) throw new Error('registry broke');
      return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: BODY };
    },
  }),
);
after(() => api.close());

test('serves the exposition as-is with its content type', async () => {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(await res.text(), BODY);
});

test('scrape parameters are ignored', async () => {
  const res = await fetch(`${url}/metrics?name[]=rigtune_sep_score`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), BODY);
});

test('a failing renderer is a 500 RT_API_INTERNAL', async () => {
  fail = true;
  const res = await fetch(`${url}/metrics`);
  fail = false;
  assert.equal(res.status, 500);
  assert.equal((await readJson(res)).error.code, 'RT_API_INTERNAL');
});
