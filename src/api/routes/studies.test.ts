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
/** A study.json as the study runner writes it (src/study/aba-plan/state.ts), two devices, finished. */
const studyJson = (status: string, phase: string, end: number | undefined) =>
  JSON.stringify({
    version: 1,
    study_id: 's1',
    status,
    created_ms: 1000,
    updated_ms: 9000,
    plan: {
      rigs: ['rig0'],
      devices: null,
      treatment: 'power_limit_w=-20',
      durations_ms: { A1: 60_000, B: 60_000, A2: 60_000 },
    },
    modes_before: {},
    devices: ['gpu0', 'gpu1'].map((device) => ({
      rig: 'rig0',
      device,
      phase,
      started_ms: { A1: 1000, B: 61_000, A2: 121_000, ...(end === undefined ? {} : { end }) },
      setpoints: [{ kind: 'power_limit_w', baseline: 350, target: 330 }],
    })),
    reasons: [],
    events: [],
  });
const estimate = (value: number, lo: number, hi: number) => ({ value, lo, hi });
/** The analyze report.json (rigtune.study-report/1) cut to what the list reads. */
const reportJson = JSON.stringify({
  schema: 'rigtune.study-report/1',
  inputs: {},
  result: {
    schema: 'rigtune.aba/1',
    method: { confidence: 0.9 },
    devices: [],
    pooled: {
      method: 'random effects',
      devices: 2,
      metrics: [],
      verdict: {
        verdict: 'improved',
        metric: 'efficiency_h_per_j',
        basis: 'adjusted',
        effect_pct: estimate(3, 2, 4),
        reasons: ['pooled +3 %'],
      },
    },
  },
});
const figures = {
  traces: 1,
  devices: 4,
  device_days: 0.5,
  labels: 4,
  levels: {
    micro: {
      detection: { k: 3, n: 4, rate: 0.75, ci95: [0.3, 0.95] },
      lead_time_s: { n: 3, median: 12, q1: 4, q3: 20, min: 2, max: 30, values: [2, 12, 30] },
      signals: 5,
      false_alarms: { count: 2, device_days: 0.5, per_device_day: 4, ci95: [0.5, 14] },
      precision: { k: 3, n: 5, rate: 0.6, ci95: [0.2, 0.9] },
    },
  },
};
put('studies/s1/study.json', studyJson('done', 'end', 181_000), 100);
put('studies/s1/report.html', '<!doctype html><title>s1</title>', 100);
put('studies/s1/report.json', reportJson, 100);
put('studies/s2/study.json', '{"version": 1, "study_id": "s2", "sta', 300); // being written
put('studies/s3/study.json', studyJson('running', 'B', undefined), 50);
put('studies/s4/study.json', JSON.stringify({ title: 'not ours' }), 40);
put('backtests/20240501-000000/report.html', '<p>b1</p>', 200);
put(
  'backtests/20240501-000000/backtest.json',
  JSON.stringify({
    kind: 'rigtune.backtest',
    level: 'micro',
    candidates: [{ name: 'a' }, { name: 'b' }],
    chosen: { name: 'b', figures },
    headline: { name: 'b', part: 'test', figures },
  }),
  200,
);
mkdirSync(join(dir, 'studies/empty'), { recursive: true }); // nothing written yet: not listed
writeFileSync(join(outside, 'report.html'), 'TOP-SECRET');
symlinkSync(outside, join(dir, 'studies/linked')); // a link out of data_dir: never listed or served
writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');

const api = createApi(testDeps({ dataDir: dir }));
after(() => api.close());
const get = (url: string) => api.app.inject({ method: 'GET', url });

test('lists studies and backtests newest first, with what their JSON files say', async () => {
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
      s.ended_ms,
      s.report_url,
      s.data_url,
      s.error === null ? null : 'error',
    ]);
  const b1 = '/reports/backtests/20240501-000000';
  assert.deepEqual(rows, [
    ['study', 's2', null, null, null, null, null, '/reports/studies/s2/study.json', 'error'],
    [
      'backtest',
      '20240501-000000',
      '2 configurations; picked b',
      'done',
      Date.UTC(2024, 4, 1),
      200_000,
      `${b1}/report.html`,
      `${b1}/backtest.json`,
      null,
    ],
    [
      'study',
      's1',
      'power_limit_w=-20 on rig0 (2 devices)',
      'done',
      1000,
      181_000,
      '/reports/studies/s1/report.html',
      '/reports/studies/s1/study.json',
      null,
    ],
    [
      'study',
      's3',
      'power_limit_w=-20 on rig0 (2 devices)',
      'running',
      1000,
      null,
      null,
      '/reports/studies/s3/study.json',
      null,
    ],
    ['study', 's4', null, null, null, null, null, '/reports/studies/s4/study.json', 'error'],
  ]);
  const [, backtest, s1, s3, s4] = res.json().studies;
  assert.equal(s1.report_json_url, '/reports/studies/s1/report.json');
  assert.deepEqual(s1.verdict, {
    verdict: 'improved',
    metric: 'efficiency_h_per_j',
    basis: 'adjusted',
    effect_pct: estimate(3, 2, 4),
    confidence: 0.9,
    devices: 2,
    reasons: ['pooled +3 %'],
  });
  assert.deepEqual(s3.study.phases, ['B']);
  assert.equal(s3.verdict, null);
  assert.match(s4.error, /not a rigtune study\.json/);
  assert.deepEqual(backtest.backtest, {
    configs: 2,
    headline: 'b',
    part: 'test',
    level: 'micro',
    traces: 1,
    devices: 4,
    device_days: 0.5,
    labels: 4,
    detection_rate: estimate(0.75, 0.3, 0.95),
    false_alarms_per_device_day: estimate(4, 0.5, 14),
    lead_time_median_s: 12,
  });
});

test('a changed file is read again (the parsed-file cache keys on mtime and size)', async () => {
  const before = (await get('/api/studies')).json().studies.find((s: { id: string }) => s.id === 's3');
  assert.equal(before.status, 'running');
  put(
    'studies/s3/study.json',
    studyJson('aborted', 'B', undefined).replace('"reasons":[]', '"reasons":["stopped"]'),
    60,
  );
  const after = (await get('/api/studies')).json().studies.find((s: { id: string }) => s.id === 's3');
  assert.equal(after.status, 'aborted');
  assert.deepEqual(after.study.reasons, ['stopped']);
  assert.equal(after.ended_ms, 9000);
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
