// Saves current screenshots of the dashboard's pages (docs/dashboard-fleet.png, -rig.png, -studies.png)
// from the real demo service in headless Chromium, after the demo's faults have had time to show.
// Usage: node scripts/screenshots.ts [--studies DATA_DIR]  (copies DATA_DIR/studies and /backtests in)

import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDashboardDemo } from '../test/browser/demo-kit.ts';

/** The demo's kinds of fault, brought forward so that a 45 s run shows them. */
const FAULTS =
  'thermal_paste@rig2/gpu0@4s+10s,fan_failure@rig4/gpu2@6s,hashboard_dropout@asic1/board1@8s,' +
  'reject_storm@rig5@10s+60s,pool_latency@rig3@12s+30s';
const RUN_MS = 45_000;
const OUT = new URL('../docs/', import.meta.url);

const flag = process.argv.indexOf('--studies');
const studiesFrom = flag >= 0 ? process.argv[flag + 1] : undefined;
const demo = await startDashboardDemo(FAULTS);
try {
  if (studiesFrom !== undefined)
    for (const dir of ['studies', 'backtests'])
      if (existsSync(join(studiesFrom, dir))) cpSync(join(studiesFrom, dir), join(demo.dataDir, dir), { recursive: true });
  process.stderr.write(`demo at ${demo.url}; waiting ${RUN_MS / 1000} s for the faults to show…\n`);
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: 'Europe/Berlin' });
    await page.goto(`${demo.url}/`);
    await page.waitForFunction(() => (window as unknown as { rigtuneFleet?: { count(): { total: number } } }).rigtuneFleet?.count().total === 56);
    await page.waitForTimeout(2500); // a refresh of readings and modes
    await page.screenshot({ path: new URL('dashboard-fleet.png', OUT).pathname });
    await page.goto(`${demo.url}/rigs/rig4`);
    await page.waitForSelector('figure.chart canvas');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: new URL('dashboard-rig.png', OUT).pathname, fullPage: true });
    await page.goto(`${demo.url}/studies`);
    await page.waitForFunction(() => document.getElementById('studies-note')?.textContent !== '');
    await page.screenshot({ path: new URL('dashboard-studies.png', OUT).pathname });
  } finally {
    await browser.close();
  }
  process.stderr.write('saved docs/dashboard-fleet.png, docs/dashboard-rig.png, docs/dashboard-studies.png\n');
} finally {
  await demo.stop();
}
