// Benchmark of the fleet page under load: 1,000 devices (100 rigs × 10) each updated every second over
// /api/stream (scores and, through the real readings sink, raw readings), the page in headless Chromium;
// reports frame-time percentiles, long tasks, DOM writes and SSE events. DASH_BENCH_READINGS=0: no live readings.

import { chromium } from 'playwright-core';
import { createApi } from '../src/api/index.ts';
import { LatestReadings, type ReadingsView } from '../src/api/readings.ts';
import { MemoryState, makeState, makeTick, testDeps } from '../src/api/test-kit.ts';
import { emptySnapshot, type Snapshot } from '../src/core/snapshot.ts';

/** What the page functions below touch: they run in Chromium, and the tsconfig has no DOM library. */
declare const window: {
  rigtuneFleet?: {
    count(): { total: number };
    counters: { flushes: number; cellWrites: number; rowsTouched: number; flushMs: number[] };
  };
};
declare const requestAnimationFrame: (callback: (nowMs: number) => void) => number;

const RIGS = Number(process.env.DASH_BENCH_RIGS ?? 100);
const PER_RIG = 10;
const WARMUP_MS = 3000;
const MEASURE_MS = Number(process.env.DASH_BENCH_MS ?? 10_000);
/** Readings live over the stream (the real sink), or only in GET /api/fleet (a view without subscribe). */
const LIVE_READINGS = process.env.DASH_BENCH_READINGS !== '0';
const CLASSES = ['none', 'none', 'none', 'none', 'none', 'none', 'micro', 'meso', 'macro'] as const;

/** mulberry32: a small seeded generator, so every run publishes the same feed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(7);
const rigNames = Array.from({ length: RIGS }, (_, i) => `rig-${String(i).padStart(3, '0')}`);
const sink = new LatestReadings();
const state = new MemoryState();

function publish(rig: string, ts: number): void {
  const ticks = [];
  const snaps: Snapshot[] = [];
  for (let d = 0; d < PER_RIG; d++) {
    const device = `gpu${d}`;
    const cls = random() < 0.02 ? CLASSES[Math.floor(random() * CLASSES.length)] : 'none';
    ticks.push(
      makeTick(rig, device, ts, {
        sep_score: 60 + random() * 40,
        rupture_class: cls,
        lambda_hazard: random() * 0.3,
        kpis: {
          ...makeTick(rig, device, ts).kpis,
          efficiency_h_per_j: 3.9e5 + random() * 1e4,
          hashrate_ratio: 0.95 + random() * 0.1,
          reject_rate: random() * 0.01,
          thermal_headroom_c: 10 + random() * 10,
        },
      }),
    );
    snaps.push({
      ...emptySnapshot(ts, rig, device),
      hashrate_5s: 1.1e8 + random() * 1e6,
      power_w: 270 + random() * 20,
      temp_core_c: 60 + random() * 10,
    });
  }
  const rigState = makeState(rig, ticks);
  sink.write({ rig, ts, snapshots: snaps, scores: ticks, events: [], state: rigState });
  state.publish(rigState);
}

const view: ReadingsView = LIVE_READINGS ? sink : { latest: (rig) => sink.latest(rig) };
const api = createApi(testDeps({ state, readings: view, now: () => Date.now() }));
const { url } = await api.listen({ port: 0 });
for (const rig of rigNames) publish(rig, Date.now());
// Every rig once a second, spread over the second as polls are.
let next = 0;
const feed = setInterval(() => {
  publish(rigNames[next], Date.now());
  next = (next + 1) % RIGS;
}, 1000 / RIGS);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${url}/`);
  await page.waitForFunction(
    (n) =>
      (window as unknown as { rigtuneFleet?: { count(): { total: number } } }).rigtuneFleet?.count().total ===
      n,
    RIGS * PER_RIG,
    {
      timeout: 30_000,
    },
  );
  await page.waitForTimeout(WARMUP_MS);
  const sentBefore = api.streamStats().sent_total;
  const result = await page.evaluate(async (ms) => {
    const c = (window.rigtuneFleet as NonNullable<typeof window.rigtuneFleet>).counters;
    const before = {
      flushes: c.flushes,
      cellWrites: c.cellWrites,
      rows: c.rowsTouched,
      flushIdx: c.flushMs.length,
    };
    const frames: number[] = [];
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    // 'longtask' is a browser entry type Node's typings do not list.
    observer.observe({ type: 'longtask' as 'mark' });
    await new Promise<void>((resolve) => {
      const start = performance.now();
      let last = start;
      const frame = (now: number) => {
        frames.push(now - last);
        last = now;
        if (now - start < ms) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    observer.disconnect();
    return {
      frames,
      longTasks,
      flushes: c.flushes - before.flushes,
      cellWrites: c.cellWrites - before.cellWrites,
      rows: c.rowsTouched - before.rows,
      flushMs: c.flushMs.slice(before.flushIdx),
    };
  }, MEASURE_MS);
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? null : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  const seconds = MEASURE_MS / 1000;
  const events = api.streamStats().sent_total - sentBefore;
  console.error(
    `${RIGS * PER_RIG} devices, ${seconds} s: ${result.frames.length} frames, ${result.rows} row updates, ` +
      `${result.cellWrites} cell writes, ${result.longTasks.length} long tasks`,
  );
  console.log(
    JSON.stringify({
      devices: RIGS * PER_RIG,
      readings_live: LIVE_READINGS,
      duration_s: seconds,
      sse_events_per_s: round(events / seconds),
      frames: result.frames.length,
      fps: round(result.frames.length / seconds),
      frame_p50_ms: round(pct(result.frames, 50)),
      frame_p95_ms: round(pct(result.frames, 95)),
      frame_max_ms: round(Math.max(...result.frames)),
      long_tasks: result.longTasks.length,
      long_task_ms_total: round(result.longTasks.reduce((a, b) => a + b, 0)),
      row_updates_per_s: round(result.rows / seconds),
      cell_writes_per_s: round(result.cellWrites / seconds),
      flush_p95_ms: round(pct(result.flushMs, 95)),
      flush_max_ms: round(result.flushMs.length === 0 ? null : Math.max(...result.flushMs)),
    }),
  );
} finally {
  clearInterval(feed);
  await browser.close();
  await api.close();
}
