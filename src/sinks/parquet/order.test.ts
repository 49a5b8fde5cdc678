// File order by counting sort equals a plain sort by (UTC day, rig, device, time, arrival), whatever the
// arrival order: batches in any rig order, devices reordered, clocks stepping back, midnight crossed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { orderRows } from './order.ts';

const DAY_MS = 86_400_000;
const MIDNIGHT = Date.parse('2026-03-01T00:00:00Z');

const batchArb = fc.record({
  rig: fc.constantFrom('rig-b', 'rig-a', 'rig-10', 'rig-9', 'é', '\u{1F600}', '\uE000'),
  devices: fc.array(fc.constantFrom('gpu0', 'gpu1', 'gpu10', 'gpu2', 'b', 'A'), { maxLength: 6 }),
  ts: fc.integer({ min: MIDNIGHT - 5000, max: MIDNIGHT + 5000 }),
});

function reference(ts: number[], rigs: string[], devices: string[]): { day: number; rows: number[] }[] {
  const rows = ts.map((_, i) => i);
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort(
    (a, b) =>
      Math.floor(ts[a] / DAY_MS) - Math.floor(ts[b] / DAY_MS) ||
      cmp(rigs[a], rigs[b]) ||
      cmp(devices[a], devices[b]) ||
      ts[a] - ts[b] ||
      a - b,
  );
  const out: { day: number; rows: number[] }[] = [];
  for (const r of rows) {
    const day = Math.floor(ts[r] / DAY_MS) * DAY_MS;
    if (out.at(-1)?.day !== day) out.push({ day, rows: [] });
    (out.at(-1) as { rows: number[] }).rows.push(r);
  }
  return out;
}

test('counting-sort order equals the reference sort (property)', () => {
  fc.assert(
    fc.property(fc.array(batchArb, { maxLength: 40 }), (batches) => {
      const ts: number[] = [];
      const rigs: string[] = [];
      const devices: string[] = [];
      const starts: number[] = [];
      for (const b of batches) {
        if (b.devices.length === 0) continue;
        starts.push(ts.length);
        for (const d of b.devices) {
          ts.push(b.ts);
          rigs.push(b.rig);
          devices.push(d);
        }
      }
      const got = orderRows(Float64Array.from(ts), rigs, devices, ts.length, starts);
      const want = reference(ts, rigs, devices);
      assert.deepEqual(
        got.map((d) => ({ day: d.dayStartMs, rows: [...d.order] })),
        want,
      );
      for (const d of got) assert.equal(d.startMs, Math.min(...[...d.order].map((r) => ts[r])));
    }),
    { seed: 11, numRuns: 300 },
  );
});

test('no rows, no segments', () => {
  assert.deepEqual(orderRows(new Float64Array(0), [], [], 0, []), []);
});
