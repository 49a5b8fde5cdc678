// The dashboard end to end in headless Chromium against the real demo service: the fleet appears, a
// simulated fan failure turns its row from none to a rupture class, the rig page draws its charts with
// data, and the controls refuse without the token and work with it. Waits are event-driven, bounded.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type DashboardDemo, DEMO_TOKEN, startDashboardDemo } from './demo-kit.ts';

/** What the page functions below touch: they run in Chromium, and the tsconfig has no DOM library. */
interface PageElement {
  readonly id: string;
  readonly tagName: string;
  closest(selector: string): PageElement | null;
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}
declare const document: {
  readonly activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
};
declare const window: {
  rigtuneFleet?: {
    count(): { total: number };
    rows: Map<string, { model: { rig: string } }>;
    get(key: string): { readings: { ts: number } | null } | undefined;
  };
  rigtuneRig?: { charts: { plots(): { data: unknown[][] }[] } };
};

/** The fan of rig4's third GPU (PCI 0000:03:00.0) stops 6 s after the start; nothing else is faulted. */
const FAULTS = 'fan_failure@rig4/gpu2@6s';
const FAULTED = { rig: 'rig4', device: '0000:03:00.0' };
/** Rigs and devices of the demo fleet: 8 GPU rigs of 4 GPUs and a total, 4 ASICs of 3 boards and a total. */
const RIGS = 12;
const DEVICES = 8 * 5 + 4 * 4;
/** Bound on the fault showing: it takes ~10 s of readings after the fault; generous for a busy CI. */
const FAULT_SHOWS_MS = 35_000;

let demo: DashboardDemo;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  demo = await startDashboardDemo(FAULTS);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('the fleet appears, and the faulted device turns from none to a rupture class', {
  timeout: 60_000,
}, async () => {
  await page.goto(`${demo.url}/`);
  const row = `#fleet tr[data-rig="${FAULTED.rig}"][data-device="${FAULTED.device}"]`;
  // The table renders only the rows in view: its models hold the whole fleet.
  await page.waitForFunction((n) => window.rigtuneFleet?.count().total === n, DEVICES, {
    polling: 'raf',
    timeout: 15_000,
  });
  const rigs = await page.evaluate(() => {
    const table = window.rigtuneFleet as NonNullable<typeof window.rigtuneFleet>;
    return new Set([...table.rows.values()].map((r) => r.model.rig)).size;
  });
  assert.equal(rigs, RIGS);
  // The filter box narrows the table to the faulted device.
  await page.fill('#filter', `${FAULTED.rig}/${FAULTED.device}`);
  await page.waitForSelector(row, { timeout: 10_000 });
  assert.equal(await page.locator('#fleet tbody tr[data-rig]').count(), 1);
  // Before the fault shows, the row reads none (colour and text).
  assert.equal((await page.locator(`${row} td.c-class`).textContent()) ?? '', 'none');
  await page.waitForFunction(
    (sel) => ['micro', 'meso', 'macro'].includes(document.querySelector(sel)?.dataset.class ?? ''),
    row,
    { polling: 'raf', timeout: FAULT_SHOWS_MS },
  );
  const badge = page.locator(`${row} td.c-class span`);
  const cls = (await badge.textContent()) ?? '';
  assert.ok(['micro', 'meso', 'macro'].includes(cls), cls);
  assert.match((await badge.getAttribute('class')) ?? '', new RegExp(`cls-${cls}`));
  // Sorting is a real button with aria-sort.
  const header = page.locator('#fleet th[data-key="sep"]');
  await header.locator('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  assert.deepEqual(pageErrors, []);
});

test('the fleet page works from the keyboard: skip link, filters, then sort buttons', {
  timeout: 30_000,
}, async () => {
  await page.goto(`${demo.url}/`);
  await page.waitForFunction((n) => window.rigtuneFleet?.count().total === n, DEVICES, {
    polling: 'raf',
    timeout: 15_000,
  });
  const focused = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      return a === null ? '' : `${a.tagName.toLowerCase()}#${a.id}${a.closest('th')?.dataset.key ?? ''}`;
    });
  // The first Tab shows the skip link; Enter moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'a#');
  assert.ok(((await page.locator('a.skip').boundingBox())?.x ?? -1) >= 0, 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'main#main');
  // Then the filters, then the sort buttons in column order.
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order, [
    'input#filter',
    'select#class-filter',
    'input#advice-filter',
    'button#rig',
    'button#device',
    'button#sep',
  ]);
  // Enter and Space sort by the focused column; aria-sort and the caption follow; focus stays put.
  await page.keyboard.press('Shift+Tab'); // back to Device: its values do not change while we look
  const device = page.locator('#fleet th[data-key="device"]');
  const cells = () => page.locator('#fleet tbody tr[data-rig] td.c-device').allTextContents();
  const sorted = (xs: string[], dir: 1 | -1) =>
    xs.every((x, i) => i === 0 || (dir === 1 ? x >= xs[i - 1] : x <= xs[i - 1]));
  await page.keyboard.press('Enter');
  assert.equal(await device.getAttribute('aria-sort'), 'ascending');
  assert.equal(await page.locator('#fleet th[data-key="class"]').getAttribute('aria-sort'), 'none');
  await page.waitForFunction(
    () => document.querySelector('#fleet tbody tr[data-rig] td.c-device')?.textContent === '0000:01:00.0',
    undefined,
    { polling: 'raf', timeout: 5000 },
  );
  assert.ok(sorted(await cells(), 1), (await cells()).join(' '));
  assert.match((await page.locator('#fleet caption').textContent()) ?? '', /Sorted by Device, ascending\.$/);
  await page.keyboard.press(' ');
  assert.equal(await device.getAttribute('aria-sort'), 'descending');
  await page.waitForFunction(
    () => document.querySelector('#fleet tbody tr[data-rig] td.c-device')?.textContent === 'total',
    undefined,
    { polling: 'raf', timeout: 5000 },
  );
  assert.ok(sorted(await cells(), -1), (await cells()).join(' '));
  assert.equal(await focused(), 'button#device');
  assert.deepEqual(pageErrors, []);
});

test('raw readings stream live: they advance with /api/fleet answered only once', {
  timeout: 30_000,
}, async () => {
  let fleetCalls = 0;
  await page.route('**/api/fleet', (route) => (fleetCalls++ === 0 ? route.continue() : route.abort()));
  try {
    await page.goto(`${demo.url}/`);
    await page.waitForFunction((n) => window.rigtuneFleet?.count().total === n, DEVICES, {
      polling: 'raf',
      timeout: 15_000,
    });
    const key = 'rig0/0000:01:00.0';
    const first = await page.evaluate((k) => window.rigtuneFleet?.get(k)?.readings?.ts ?? null, key);
    assert.ok(first !== null, 'the first answer of /api/fleet has readings');
    // Three newer readings over the stream (the demo polls every second).
    await page.waitForFunction(
      ([k, t]) => (window.rigtuneFleet?.get(k as string)?.readings?.ts ?? 0) >= (t as number) + 3000,
      [key, first],
      {
        polling: 'raf',
        timeout: 15_000,
      },
    );
    const power = await page
      .locator('#fleet tr[data-rig="rig0"][data-device="0000:01:00.0"] td.c-power')
      .textContent();
    assert.match(power ?? '', /^\d+ W$/);
  } finally {
    await page.unroute('**/api/fleet');
  }
  assert.deepEqual(pageErrors, []);
});

test('the rig page draws its charts with data', { timeout: 30_000 }, async () => {
  await page.goto(`${demo.url}/rigs/${FAULTED.rig}`);
  await page.waitForFunction(
    () => {
      const rig = window.rigtuneRig;
      const plots = rig?.charts.plots() ?? [];
      return plots.length === 7 && plots.every((u) => u.data.length > 1 && u.data[0].length > 0);
    },
    undefined,
    { polling: 200, timeout: 20_000 },
  );
  assert.equal(await page.locator('figure.chart canvas').count(), 7);
  for (const chart of ['hashrate', 'power', 'temp', 'sep', 'hazard']) {
    const points = Number(await page.locator(`figure[data-chart="${chart}"]`).getAttribute('data-points'));
    assert.ok(points > 0, `${chart}: ${points} points`);
  }
  assert.equal(await page.locator('#devices tbody tr[data-device]').count(), 5);
  assert.deepEqual(pageErrors, []);
});

test('the controls refuse without the token and work with it', { timeout: 30_000 }, async () => {
  await page.goto(`${demo.url}/rigs/rig0`);
  const off = page.locator('#mode-off');
  await page.waitForFunction(() => document.getElementById('control-why')?.textContent !== '', undefined, {
    polling: 'raf',
    timeout: 10_000,
  });
  assert.equal(await off.isDisabled(), true);
  assert.match((await page.locator('#control-why').textContent()) ?? '', /need the API token/);
  assert.equal(await page.locator('#killswitch').isDisabled(), true);

  // A wrong token: the API's 401 message is shown and nothing changes.
  await page.fill('#token', 'not-the-token-0123456789');
  await page.click('#token-form button[type="submit"]');
  await off.click();
  await page.waitForFunction(
    () => document.getElementById('control-msg')?.classList.contains('error'),
    undefined,
    {
      polling: 'raf',
      timeout: 10_000,
    },
  );
  assert.match((await page.locator('#control-msg').textContent()) ?? '', /401.*wrong bearer token/);
  const modeOf = async () => {
    const s = (await (await fetch(`${demo.url}/api/autotune`)).json()) as {
      rigs: { rig: string; mode: string }[];
    };
    return s.rigs.find((r) => r.rig === 'rig0')?.mode;
  };
  assert.equal(await modeOf(), 'advise');

  // The right token: the mode changes, and the kill switch engages and releases.
  await page.fill('#token', DEMO_TOKEN);
  await page.click('#token-form button[type="submit"]');
  await off.click();
  await page.waitForFunction(
    () => document.getElementById('mode-off')?.getAttribute('aria-pressed') === 'true',
    undefined,
    {
      polling: 'raf',
      timeout: 10_000,
    },
  );
  assert.match((await page.locator('#control-msg').textContent()) ?? '', /rig0: off \(was advise\)/);
  assert.equal(await modeOf(), 'off');
  await page.click('#killswitch');
  await page.waitForFunction(
    () => document.getElementById('killswitch')?.getAttribute('aria-pressed') === 'true',
    undefined,
    {
      polling: 'raf',
      timeout: 10_000,
    },
  );
  const ks = (await (await fetch(`${demo.url}/api/autotune`)).json()) as {
    kill_switch: { engaged: boolean };
  };
  assert.equal(ks.kill_switch.engaged, true);
  await page.click('#killswitch');
  await page.waitForFunction(
    () => document.getElementById('killswitch')?.getAttribute('aria-pressed') === 'false',
    undefined,
    {
      polling: 'raf',
      timeout: 10_000,
    },
  );
  assert.deepEqual(pageErrors, []);
});
