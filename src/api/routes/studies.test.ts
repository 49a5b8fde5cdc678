// GET /api/studies and /reports/…: studies and backtests listed from data_dir (half-written and damaged
// ones listed with the reason, empty or linked directories skipped); only their report files served.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createApi } from '../app.ts';
import { testDeps } from '../test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-studies-'));
const outside = mkdtempSync(join(tmpdir(), 'rigtune-outside-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});
const put = (path: string, text: string, mtimeS: number) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
  utimesSync(join(dir, path), mtimeS, mtimeS);
};
put('studies/s1/study.json', JSON.stringify({ title: 'PL 300 W', status: 'done', created_ms: 1000 }), 100);
put('studies/s1/report.html', '<!doctype html><title>s1</title>', 100);
put('studies/s1/report.json', '{}', 100);
put('studies/s2/study.json', '{"title": "half', 300); // being written
put('backtests/b1/report.html', '<p>b1</p>', 200);
put(
  'backtests/b1/backtest.json',
  JSON.stringify({ name: 'thresholds A vs B', started_at: '2024-05-01T00:00:00Z' }),
  200,
);
mkdirSync(join(dir, 'studies/empty'), { recursive: true }); // nothing written yet: not listed
writeFileSync(join(outside, 'report.html'), 'TOP-SECRET');
symlinkSync(outside, join(dir, 'studies/linked')); // a link out of data_dir: never listed or served
writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');

const api = createApi(testDeps({ dataDir: dir }));
after(() => api.close());
const get = (url: string) => api.app.inject({ method: 'GET', url });

test('lists studies and backtests newest first, with their files and what their JSON says', async () => {
  const res = await get('/api/studies');
  assert.equal(res.statusCode, 200);
  const rows = res
    .json()
    .studies.map((s: Record<string, unknown>) => [
      s.kind,
      s.id,
      s.title,
      s.status,
      s.created_ms,
      s.report_url,
      s.data_url,
      s.error === null ? null : 'error',
    ]);
  assert.deepEqual(rows, [
    ['study', 's2', null, null, null, null, '/reports/studies/s2/study.json', 'error'],
    [
      'backtest',
      'b1',
      'thresholds A vs B',
      null,
      Date.parse('2024-05-01T00:00:00Z'),
      '/reports/backtests/b1/report.html',
      '/reports/backtests/b1/backtest.json',
      null,
    ],
    [
      'study',
      's1',
      'PL 300 W',
      'done',
      1000,
      '/reports/studies/s1/report.html',
      '/reports/studies/s1/study.json',
      null,
    ],
  ]);
  assert.equal(res.json().studies[2].report_json_url, '/reports/studies/s1/report.json');
});

test('serves report files read-only with their type; HTML sandboxed', async () => {
  const html = await get('/reports/studies/s1/report.html');
  assert.equal(html.statusCode, 200);
  assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(String(html.headers['content-security-policy']), /^sandbox/);
  assert.equal(html.body, '<!doctype html><title>s1</title>');
  const json = await get('/reports/backtests/b1/backtest.json');
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(
    (await api.app.inject({ method: 'POST', url: '/reports/studies/s1/report.html' })).statusCode,
    404,
  );
});

test('nothing else is served: other files, other kinds, traversal, links out of data_dir', async () => {
  for (const url of [
    '/reports/studies/s1/other.txt',
    '/reports/studies/s1/backtest.json',
    '/reports/audit/s1/report.html',
    '/reports/studies/..%2F..%2Fsecret.txt/report.html',
    '/reports/studies/%2E%2E/report.html',
    '/reports/studies/../secret.txt',
    '/reports/studies/linked/report.html',
    '/reports/studies/empty/report.html',
    '/reports/studies/nope/report.html',
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.ok(!res.body.includes('TOP-SECRET'), url);
  }
});

test('without a data dir, or with none written yet: an empty list', async () => {
  const none = createApi(testDeps());
  assert.deepEqual((await none.app.inject({ method: 'GET', url: '/api/studies' })).json().studies, []);
  assert.equal(
    (await none.app.inject({ method: 'GET', url: '/reports/studies/s1/report.html' })).statusCode,
    404,
  );
  await none.close();
  const fresh = mkdtempSync(join(tmpdir(), 'rigtune-studies-none-'));
  const empty = createApi(testDeps({ dataDir: fresh }));
  assert.deepEqual((await empty.app.inject({ method: 'GET', url: '/api/studies' })).json().studies, []);
  await empty.close();
  rmSync(fresh, { recursive: true, force: true });
});
