// The studies page and GET /api/studies over files the real writers made (the study runner, `study
// analyze`, `rigtune backtest`): title, status, times, verdict with its interval, backtest headline.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Api } from '../../src/api/index.ts';
import type { StudyEntry } from '../../src/api/routes/studies.ts';
import { startTestApi, testDeps } from '../../src/api/test-kit.ts';
import { REAL, writeRealStudies } from './studies-kit.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rigtune-studies-page-'));
let api: Api;
let url: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  await writeRealStudies(dataDir);
  ({ api, url } = await startTestApi(testDeps({ dataDir })));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});
after(async () => {
  await browser?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('GET /api/studies reads the real study.json, report.json and backtest.json', async () => {
  const { studies } = (await (await fetch(`${url}/api/studies`)).json()) as { studies: StudyEntry[] };
  const byId = new Map(studies.map((s) => [s.id, s]));
  assert.deepEqual([...byId.keys()].sort(), [REAL.backtest, REAL.running, REAL.analysed].sort());
  for (const s of studies) assert.equal(s.error, null, `${s.id}: ${s.error}`);

  const done = byId.get(REAL.analysed) as StudyEntry;
  assert.equal(done.title, 'power_limit_w=-20 on rig0 (2 devices)');
  assert.equal(done.status, 'done');
  assert.equal(done.created_ms, Date.UTC(2026, 2, 1, 9, 0, 0));
  // A1 60 s + B 120 s + A2 60 s, each timed from its verified start on 1 Hz ticks.
  assert.ok(
    done.ended_ms !== null && done.ended_ms - (done.created_ms ?? 0) >= 240_000,
    String(done.ended_ms),
  );
  assert.deepEqual(done.study?.phases, ['end']);
  const v = done.verdict;
  assert.ok(v !== null);
  // A synthetic +3 % efficiency change: analysed as improved, the interval around +3 %.
  assert.equal(v.verdict, 'improved');
  assert.equal(v.metric, 'efficiency_h_per_j');
  assert.equal(v.confidence, 0.95);
  assert.equal(v.devices, 2);
  const e = v.effect_pct;
  assert.ok(
    e !== null && e.lo !== null && e.hi !== null && e.lo > 0 && e.lo < 3 && e.hi > 3,
    JSON.stringify(e),
  );
  assert.ok(done.report_url !== null && done.report_json_url !== null);

  const running = byId.get(REAL.running) as StudyEntry;
  assert.equal(running.status, 'running');
  assert.equal(running.ended_ms, null);
  assert.deepEqual(running.study?.phases, ['B']);
  assert.equal(running.verdict, null);
  assert.equal(running.report_url, null);

  const bt = byId.get(REAL.backtest) as StudyEntry;
  assert.equal(bt.status, 'done');
  assert.equal(bt.created_ms, Date.UTC(2026, 10, 1, 12, 0, 0));
  assert.equal(bt.title, '2 configurations; picked built-in rupture.micro=0.2');
  const b = bt.backtest;
  assert.ok(b !== null);
  assert.equal(b.configs, 2);
  assert.equal(b.part, 'test');
  assert.equal(b.level, 'micro');
  assert.ok(b.labels > 0 && b.detection_rate !== null && b.false_alarms_per_device_day !== null);
  const d = b.detection_rate;
  assert.ok(d.value !== null && d.lo !== null && d.hi !== null && d.lo <= d.value && d.value <= d.hi);
  // The served report is the one the writer made.
  const html = await (await fetch(`${url}${bt.report_url}`)).text();
  assert.match(html, /^<!doctype html>/i);
});

test('the studies page shows each one: verdict with interval, phase, backtest figures', {
  timeout: 20_000,
}, async () => {
  await page.goto(`${url}/studies`);
  await page.waitForSelector(`#studies tr[data-id="${REAL.analysed}"]`, { timeout: 10_000 });
  const row = (id: string) => page.locator(`#studies tr[data-id="${id}"]`);
  const done = row(REAL.analysed);
  assert.equal(await done.locator('td.c-status').textContent(), 'done');
  const badge = done.locator('.verdict');
  assert.equal(await badge.textContent(), 'improved');
  assert.match((await badge.getAttribute('class')) ?? '', /v-good/);
  assert.match(
    (await done.locator('.effect').textContent()) ?? '',
    /^efficiency \+\d\.\d\d? % \(95 % CI \+\d\.\d\d? to \+\d\.\d\d? %\), drift-adjusted, 2 devices pooled$/,
  );
  assert.match((await done.locator('td').nth(3).textContent()) ?? '', /^2026-03-01 09:00:00 UTC\+00:00$/);
  assert.match(
    (await row(REAL.running).locator('td.c-result').textContent()) ?? '',
    /^in phase B · A1 1 min/,
  );
  const bt = (await row(REAL.backtest).locator('td.c-result').textContent()) ?? '';
  assert.match(bt, /detected \d+ % \(95 % CI \d+ %–100 %\) of \d+ labels? at micro/);
  assert.match(bt, /false alarms [\d.]+ per device-day/);
  assert.match(bt, /2 configs · held-out part/);
  // The report link is reachable by keyboard and names the study.
  const link = done.locator('a').first();
  assert.equal(await link.getAttribute('aria-label'), 'power_limit_w=-20 on rig0 (2 devices): report');
  assert.deepEqual(pageErrors, []);
});
