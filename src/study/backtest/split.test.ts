// The validation/test split never leaks (property tests): units partition, every signal, exposure and
// label sits only with its unit, the split ignores input order, and the pick never reads test data.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../../core/errors.ts';
import { selectCandidate } from './select.ts';
import {
  type BacktestData,
  SPLIT_UNITS,
  type SplitUnit,
  splitData,
  unitKey,
  validationUnits,
} from './split.ts';
import type { Exposure, ScopedLabel, Signal } from './types.ts';

const CLASSES = ['none', 'micro', 'meso', 'macro'] as const;

/** Random fleets: traces × rigs × devices observed 0..10 000 ms, with events, advice and labels on them. */
const dataArb = fc
  .record({
    traces: fc.integer({ min: 1, max: 3 }),
    rigs: fc.integer({ min: 1, max: 4 }),
    devices: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ traces, rigs, devices }) => {
    const exposures: Exposure[] = [];
    for (let t = 0; t < traces; t += 1)
      for (let r = 0; r < rigs; r += 1)
        for (let d = 0; d < devices; d += 1)
          exposures.push({
            trace: t,
            rig: `r${r}`,
            device: `d${d}`,
            firstMs: 0,
            lastMs: 10_000,
            samples: 11,
          });
    const where = fc.record({
      trace: fc.integer({ min: 0, max: traces - 1 }),
      rig: fc.integer({ min: 0, max: rigs - 1 }).map((r) => `r${r}`),
      device: fc.option(
        fc.integer({ min: 0, max: devices - 1 }).map((d) => `d${d}`),
        { freq: 4 },
      ),
      tsMs: fc.integer({ min: 0, max: 10_000 }),
    });
    const signal = fc
      .tuple(where, fc.boolean(), fc.constantFrom(...CLASSES))
      .map(
        ([w, isAdvice, cls]): Signal =>
          isAdvice
            ? { source: 'advice', ...w, class: null, adviceKind: 'raise_fan' }
            : { source: 'event', ...w, device: w.device ?? 'd0', class: cls, adviceKind: null },
      );
    const label = where.map(
      (w): ScopedLabel => ({
        id: `l${w.tsMs}`,
        kind: 'k',
        trace: w.trace,
        rig: w.rig,
        device: w.device,
        startMs: w.tsMs,
        endMs: null,
        file: 'f',
        line: 1,
      }),
    );
    return fc.record({
      signals: fc.array(signal, { maxLength: 40 }),
      labels: fc.array(label, { maxLength: 10 }),
      exposures: fc.constant(exposures),
    });
  });

const optionsArb = fc.record({
  by: fc.constantFrom<SplitUnit>(...SPLIT_UNITS),
  fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

const unitsOf = (d: BacktestData, by: SplitUnit) =>
  new Set(d.exposures.map((e) => unitKey(by, e.trace, e.rig, e.device)));

test('units partition; every item sits only in the part of its unit (property)', () => {
  fc.assert(
    fc.property(dataArb, optionsArb, (data, o) => {
      if (unitsOf(data, o.by).size < 2) return;
      const { validation, test: held } = splitData(data, o);
      const v = new Set(validation.units);
      const t = new Set(held.units);
      assert.equal(v.size + t.size, unitsOf(data, o.by).size);
      for (const u of v) assert.ok(!t.has(u), `unit ${u} in both parts`);
      for (const [part, units] of [
        [validation, v],
        [held, t],
      ] as const) {
        for (const e of part.exposures)
          assert.ok(units.has(unitKey(o.by, e.trace, e.rig, e.device) as string));
        for (const s of part.signals) {
          const key = unitKey(o.by, s.trace, s.rig, s.device);
          assert.ok(key !== null && units.has(key), 'a signal of the other part leaked');
        }
        for (const l of part.labels) {
          const key = unitKey(o.by, l.trace, l.rig, l.device);
          if (key !== null) assert.ok(units.has(key), 'a label of the other part leaked');
          else assert.ok(part.exposures.some((e) => e.trace === l.trace && e.rig === l.rig));
        }
      }
      // Nothing is lost but what the rules drop: rig-wide advice under a device split.
      const dropped = o.by === 'device' ? data.signals.filter((s) => s.device === null).length : 0;
      assert.equal(validation.signals.length + held.signals.length + dropped, data.signals.length);
      for (const part of [validation, held]) {
        const rigs = new Set(part.exposures.map((e) => `${e.trace}/${e.rig}`));
        const mine =
          o.by === 'device'
            ? data.signals.filter((s) => s.device === null && rigs.has(`${s.trace}/${s.rig}`))
            : [];
        assert.equal(part.excludedRigAdvice, mine.length);
      }
    }),
    { seed: 11, numRuns: 300 },
  );
});

test('the split depends on the seed and the unit names only, never on input order (property)', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 30 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      (keys, seed, fraction) => {
        const o = { by: 'rig' as const, fraction, seed };
        const a = validationUnits(keys, o);
        const b = validationUnits([...keys].reverse(), o);
        assert.deepEqual([...a].sort(), [...b].sort());
        assert.equal(a.size, Math.min(keys.length - 1, Math.max(1, Math.round(fraction * keys.length))));
      },
    ),
    { seed: 12, numRuns: 300 },
  );
});

test('a split needs two units and a fraction inside (0, 1)', () => {
  const usage = (e: unknown) => isRigtuneError(e, 'RT_CLI_USAGE');
  assert.throws(() => validationUnits(['only'], { by: 'rig', fraction: 0.5, seed: 1 }), usage);
  assert.throws(() => validationUnits(['a', 'b'], { by: 'rig', fraction: 1, seed: 1 }), usage);
});

test('the pick never reads test data: changing test-part signals changes neither pick nor validation (property)', () => {
  const match = { beforeMs: 500, afterMs: 500 };
  const rule = { level: 'any' as const, maxFalseAlarmsPerDeviceDay: null };
  fc.assert(
    fc.property(dataArb, fc.array(dataArb, { minLength: 2, maxLength: 3 }), optionsArb, (base, others, o) => {
      if (unitsOf(base, o.by).size < 2) return;
      // Candidates: the same labels and exposures, each with its own signals.
      const candidates = others.map((x) => ({
        ...base,
        signals: x.signals.filter((s) => s.trace < base.exposures.length),
      }));
      const valid = (d: BacktestData) =>
        d.signals.filter((s) => base.exposures.some((e) => e.trace === s.trace && e.rig === s.rig));
      const clean = candidates.map((d) => ({ ...d, signals: valid(d) }));
      const before = selectCandidate(clean, o, rule, match);
      const testUnits = new Set(before.testUnits);
      // Flood the test part of every candidate but the first with false alarms.
      const flooded = clean.map((d, i) => ({
        ...d,
        signals: [
          ...d.signals,
          ...(i === 0
            ? []
            : d.exposures
                .filter((e) => testUnits.has(unitKey(o.by, e.trace, e.rig, e.device) as string))
                .map(
                  (e): Signal => ({
                    source: 'event',
                    trace: e.trace,
                    rig: e.rig,
                    device: e.device,
                    tsMs: 9_999,
                    class: 'macro',
                    adviceKind: null,
                  }),
                )),
        ],
      }));
      const after = selectCandidate(flooded, o, rule, match);
      assert.deepEqual(after.pick, before.pick);
      assert.deepEqual(after.validation, before.validation);
    }),
    { seed: 13, numRuns: 150 },
  );
});
