// The dashboard's pages and assets: each page is HTML with a strict CSP, assets have their types and
// ETags (304 on a match), uPlot is served from the package, and nothing outside the asset list is.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, test } from 'node:test';
import { createApi } from '../app.ts';
import { testDeps } from '../test-kit.ts';

const api = createApi(testDeps());
after(() => api.close());
const get = (url: string, headers: Record<string, string> = {}) =>
  api.app.inject({ method: 'GET', url, headers });

test('the three pages are HTML with their scripts and a same-origin CSP', async () => {
  for (const [url, script] of [
    ['/', '/assets/fleet.js'],
    ['/rigs/rig%2001', '/assets/rig.js'],
    ['/studies', '/assets/studies.js'],
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.ok(res.body.includes(`src="${script}"`), url);
  }
});

test('assets: scripts and styles with types and ETags; 304 when unchanged', async () => {
  const js = await get('/assets/live-table.js');
  assert.equal(js.statusCode, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  const etag = String(js.headers.etag);
  assert.equal((await get('/assets/live-table.js', { 'if-none-match': etag })).statusCode, 304);
  assert.equal((await get('/assets/style.css')).headers['content-type'], 'text/css; charset=utf-8');
});

test('uPlot is vendored from the package, not fetched from a CDN', async () => {
  const require = createRequire(import.meta.url);
  const res = await get('/assets/vendor/uPlot.iife.min.js');
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'));
  assert.equal((await get('/assets/vendor/uPlot.min.css')).statusCode, 200);
  const page = (await get('/rigs/r1')).body;
  assert.ok(!/https?:\/\//.test(page.replace(/<!doctype[^>]*>/i, '')), 'no external URL in the page');
});

test('anything else under /assets is a JSON 404', async () => {
  for (const url of [
    '/assets/nope.js',
    '/assets/../app.ts',
    '/assets/%2e%2e/routes/dashboard.ts',
    '/assets/vendor/uPlot.esm.js',
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().error.code, 'RT_API_NOT_FOUND', url);
  }
});
