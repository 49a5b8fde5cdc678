// Saves current screenshots of the dashboard's pages (docs/dashboard-fleet.png, -rig.png, -studies.png)
// from the real demo service in headless Chromium at 1440×900, once its faults show as ruptures and advice.
// Usage: node scripts/screenshots.ts [--studies DATA_DIR]
//   --studies: copy DATA_DIR/studies and DATA_DIR/backtests in (e.g. from `rigtune study run --demo`,
//   `rigtune study analyze` and `rigtune backtest`); without it, a study and a backtest are made by the
//   real writers in-process (test/browser/studies-kit.ts).

import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startDashboardDemo } from '../test/browser/demo-kit.ts';
import { writeRealStudies } from '../test/browser/studies-kit.ts';

/** The demo's kinds of fault, brought forward so that a minute's run shows them. */
const FAULTS =
  'thermal_paste@rig2/gpu0@4s+10s,fan_failure@rig4/gpu2@6s,hashboard_dropout@asic1/board1@8s,' +
  'reject_storm@rig5@10s+60s,pool_latency@rig3@12s+30s';
/** Rig page shown: the fan failure's rig, and its GPU whose fan stops (advice about it is awaited). */
const RIG = 'rig4';
const FAULTED = '0000:03:00.0';
/** Longest wait for the faults to show, ms. */
const SHOW_MS = 120_000;
const VIEWPORT = { width: 1440, height: 900 };
const OUT = new URL('../docs/', import.meta.url);

/** What the page functions below read (they run in Chromium; the tsconfig has no DOM library). */
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ dataset: Record<string, string | undefined> }>;
};

const flag = process.argv.indexOf('--studies');
const studiesFrom = flag >= 0 ? process.argv[flag + 1] : undefined;

async function save(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: new URL(name, OUT).pathname, fullPage });
  process.stderr.write(`saved docs/${name}\n`);
}

const demo = await startDashboardDemo(FAULTS);
try {
  if (studiesFrom === undefined) await writeRealStudies(demo.dataDir);
  else
    for (const dir of ['studies', 'backtests'])
      if (existsSync(join(studiesFrom, dir)))
        cpSync(join(studiesFrom, dir), join(demo.dataDir, dir), { recursive: true });
  process.stderr.write(`demo at ${demo.url}; waiting for ruptures and advice to show…\n`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, timezoneId: 'Europe/Berlin' });
    await page.goto(`${demo.url}/`);
    // At least three devices in rupture, of at least two classes, and open advice.
    await page.waitForFunction(
      () => {
        const m = /(\d+) in rupture \((\d+) micro, (\d+) meso, (\d+) macro\) · (\d+) open advice/.exec(
          document.getElementById('summary')?.textContent ?? '',
        );
        if (m === null) return false;
        const [ruptures, micro, meso, macro, advice] = m.slice(1).map(Number);
        return ruptures >= 3 && [micro, meso, macro].filter((n) => n > 0).length >= 2 && advice >= 2;
      },
      undefined,
      { polling: 500, timeout: SHOW_MS },
    );
    // The live sort has put every device in rupture at the top, worst first. It reorders at most once a
    // second while cells change at once, so a class can change during the capture: then capture again.
    const sorted = () => {
      const n = Number(/(\d+) in rupture/.exec(document.getElementById('summary')?.textContent ?? '')?.[1]);
      const rows = document.querySelectorAll('#fleet tbody tr[data-class]');
      const rank = ['none', 'micro', 'meso', 'macro'];
      const top = [...Array(n).keys()].map((i) => rank.indexOf(rows[i]?.dataset.class ?? ''));
      return n > 0 && top.every((r, i) => r > 0 && (i === 0 || r <= top[i - 1]));
    };
    for (let attempt = 1; ; attempt++) {
      await page.waitForFunction(sorted, undefined, { polling: 'raf', timeout: 10_000 });
      const png = await page.screenshot();
      if ((await page.evaluate(sorted)) || attempt === 10) {
        writeFileSync(new URL('dashboard-fleet.png', OUT), png);
        process.stderr.write('saved docs/dashboard-fleet.png\n');
        break;
      }
    }
    await page.goto(`${demo.url}/rigs/${RIG}`);
    // Charts with data, and advice about the faulted GPU (the advisory rules persist a few ticks).
    await page
      .waitForFunction(
        (device) =>
          document.querySelectorAll('figure.chart canvas').length === 7 &&
          document.querySelectorAll('figure.chart[data-points="0"]').length === 0 &&
          document.querySelectorAll(`#advice li[data-advice*="${device}"]`).length > 0,
        FAULTED,
        { polling: 500, timeout: SHOW_MS },
      )
      .catch(() => process.stderr.write(`no advice about ${RIG}/${FAULTED} yet; saving the page as it is\n`));
    await save(page, 'dashboard-rig.png', true);
    await page.goto(`${demo.url}/studies`);
    await page.waitForFunction(() => document.querySelectorAll('#studies tbody tr').length > 0, undefined, {
      timeout: 10_000,
    });
    await save(page, 'dashboard-studies.png');
  } finally {
    await browser.close();
  }
} finally {
  await demo.stop();
}
