// Benchmark of GET /metrics for 10,000 devices: render time and the longest synchronous block (the
// gap between turns of a setImmediate ticker running alongside, and the event-loop delay maximum).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { create } from '../src/sinks/prometheus/index.ts';
import { fullBatch } from '../test/helpers/prometheus-fleet.ts';

const RIGS = Number(process.env.PROM_BENCH_RIGS ?? 2000);
const PER_RIG = 5;
const RENDERS = 5;
const T0 = Date.UTC(2026, 2, 1);

const sink = create({ process_metrics: true }, { clock: { nowMs: () => T0 } });
for (let r = 0; r < RIGS; r++) sink.write(fullBatch(`rig-${String(r).padStart(4, '0')}`, T0, PER_RIG));

/** Runs `fn` while a setImmediate ticker records the longest gap between its turns. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; maxGapMs: number }> {
  let running = true;
  let maxGapMs = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  const value = await fn();
  const wallMs = performance.now() - start;
  running = false;
  // The gap that ends with the render's own last synchronous stretch.
  maxGapMs = Math.max(maxGapMs, performance.now() - last);
  return { value, wallMs, maxGapMs };
}

console.log(`Prometheus /metrics render, ${RIGS * PER_RIG} devices, Node ${process.version}`);
await sink.render(); // warm-up: JIT
const walls: number[] = [];
let maxBlockMs = 0;
let eldMaxMs = 0;
let body = '';
for (let i = 0; i < RENDERS; i++) {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  const m = await measure(() => sink.render());
  eld.disable();
  body = m.value.body;
  walls.push(m.wallMs);
  maxBlockMs = Math.max(maxBlockMs, m.maxGapMs);
  eldMaxMs = Math.max(eldMaxMs, eld.max / 1e6);
  console.log(
    `render ${i + 1}: ${m.wallMs.toFixed(1)} ms wall, longest block ${m.maxGapMs.toFixed(1)} ms, ` +
      `event-loop delay max ${(eld.max / 1e6).toFixed(1)} ms`,
  );
}
walls.sort((a, b) => a - b);
const renderMs = walls[Math.floor(walls.length / 2)];
const bytes = Buffer.byteLength(body);
let lines = 0;
for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) lines++;
console.log(
  `${lines.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(1)} MB; median ${renderMs.toFixed(1)} ms`,
);
console.log(
  JSON.stringify({
    devices: RIGS * PER_RIG,
    render_ms: Math.round(renderMs * 10) / 10,
    max_block_ms: Math.round(maxBlockMs * 10) / 10,
    eld_max_ms: Math.round(eldMaxMs * 10) / 10,
    body_bytes: bytes,
  }),
);
