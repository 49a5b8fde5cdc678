// Honesty tests of the A-B-A analysis on simulated devices: a power-limit change whose true efficiency
// effect comes from the model's steady state is recovered; no effect is never claimed; inlet drift is adjusted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fleet, Rng, S19_PRO, SimAsic, SimPool, steadyStateCurve } from '../../src/sim/index.ts';
import {
  type AbaMarker,
  analyzeStudy,
  classifyEffect,
  type Estimate,
  type StudySample,
} from '../../src/study/aba/index.ts';

const MIN = 60_000;
const STEP_MS = 5000;
const PHASES = ['A1', 'B', 'A2'] as const;

interface Target {
  readonly rig: string;
  readonly device: string;
  readonly a: number;
  readonly b: number;
}

const contains = (e: Estimate | null | undefined, v: number) =>
  e != null && e.lo !== null && e.hi !== null && e.lo <= v && v <= e.hi;

/**
 * Runs A1 (set-point a) → B (b) → A2 (a) on a fleet, `phaseMs` each, writing markers as `study run`
 * would. The room thermometer (`temp_inlet_c`) reads the fleet's air. Returns the true relative
 * efficiency change per device from the model's noise-free steady state (ratio of mean hash rate
 * to mean power, the estimand of the analysis) taken mid-study.
 */
function runFleetStudy(fleet: Fleet, targets: readonly Target[], phaseMs: number) {
  const rows: StudySample[] = [];
  const markers: AbaMarker[] = [];
  const truthPct = new Map<string, number>();
  for (const [i, phase] of PHASES.entries()) {
    for (const t of targets) {
      const value = phase === 'B' ? t.b : t.a;
      assert.equal(fleet.setPowerLimit(t.rig, t.device, value).status, 'applied');
      markers.push({
        ts_ms: fleet.nowMs,
        study_id: 'sim',
        rig: t.rig,
        device: t.device,
        phase,
        treatment: `power ${t.a} → ${t.b} W`,
        setpoint: { kind: 'power_limit_w', value },
      });
    }
    for (let s = 0; s < phaseMs; s += STEP_MS) {
      fleet.step(STEP_MS);
      for (const snap of fleet.snapshots())
        if (targets.some((t) => t.rig === snap.rig && t.device === snap.device))
          rows.push({ ...snap, temp_inlet_c: fleet.ambientC(fleet.rig(snap.rig), snap.ts) });
    }
    if (i === 1)
      for (const t of targets) {
        const [pa, pb] = steadyStateCurve(fleet, t.rig, t.device, [t.a, t.b]);
        truthPct.set(
          `${t.rig}/${t.device}`,
          100 * (pb.hashrateHs / pb.powerW / (pa.hashrateHs / pa.powerW) - 1),
        );
      }
  }
  for (const t of targets)
    markers.push({
      ts_ms: fleet.nowMs,
      study_id: 'sim',
      rig: t.rig,
      device: t.device,
      phase: 'end',
      treatment: `power ${t.a} → ${t.b} W`,
      setpoint: null,
    });
  return { rows, markers, truthPct };
}

/** Two GPUs and an S19 `total`; starts near the daily minimum of the air so it barely moves. */
function fleet(seed: number): Fleet {
  return new Fleet({
    seed,
    startMs: Date.UTC(2026, 0, 1, 2, 30),
    gpuRigs: 1,
    gpusPerRig: 2,
    asics: 1,
    gpuModel: 'rtx3080ti',
  });
}

test('a power-limit change with a known efficiency effect is recovered and called improved', () => {
  const f = fleet(3);
  const targets = [
    { rig: 'rig0', device: 'gpu0', a: 350, b: 250 },
    { rig: 'rig0', device: 'gpu1', a: 350, b: 250 },
    { rig: 'asic0', device: 'total', a: 3400, b: 2800 },
  ];
  const s = runFleetStudy(f, targets, 20 * MIN);
  const r = analyzeStudy(s.rows, s.markers, { seed: 11, replicates: 400 });
  assert.equal(r.devices.length, 3);
  for (const d of r.devices) {
    const truth = s.truthPct.get(`${d.rig}/${d.device}`) as number;
    assert.ok(truth > 2, `the set-up must have a real effect (${truth} %)`);
    const eff = d.metrics.find((m) => m.metric === 'efficiency_h_per_j');
    const basis = eff?.adjusted?.pct ?? eff?.effect?.pct;
    assert.ok(
      contains(basis, truth),
      `${d.rig}/${d.device}: truth ${truth} % outside ${JSON.stringify(basis)}`,
    );
    assert.equal(d.verdict.verdict, 'improved', `${d.device} ${d.verdict.reasons.join('; ')}`);
    assert.ok(contains(d.verdict.effect_pct, truth));
    for (const p of eff?.phases ?? []) assert.ok(p.n >= 200 && p.lo !== null && p.hi !== null);
  }
  // Pooled over a GPU pair (~11 %) and an ASIC (~3 %): the random-effects mean of the device effects
  // is covered, but three disagreeing devices cannot pin it down: no claim.
  const truths = [...s.truthPct.values()];
  const mean = truths.reduce((a, b) => a + b, 0) / truths.length;
  assert.equal(r.pooled.devices, 3);
  assert.ok(contains(r.pooled.verdict.effect_pct, mean), JSON.stringify(r.pooled.verdict));
  assert.notEqual(r.pooled.verdict.verdict, 'worse');
  assert.match(r.pooled.verdict.reasons.join(' '), /devices disagree/);
  // The two identical GPUs pooled alone: improved, interval around their common truth.
  const gpus = analyzeStudy(
    s.rows,
    s.markers.filter((m) => m.rig === 'rig0'),
    { seed: 11, replicates: 400 },
  );
  assert.equal(gpus.pooled.verdict.verdict, 'improved', JSON.stringify(gpus.pooled.verdict));
  assert.ok(contains(gpus.pooled.verdict.effect_pct, s.truthPct.get('rig0/gpu0') as number));
});

test('the same set-point in B (true effect 0) is never called an improvement or a worsening', () => {
  const f = fleet(4);
  const targets = [
    { rig: 'rig0', device: 'gpu0', a: 300, b: 300 },
    { rig: 'rig0', device: 'gpu1', a: 300, b: 300 },
    { rig: 'asic0', device: 'total', a: 3000, b: 3000 },
  ];
  const s = runFleetStudy(f, targets, 20 * MIN);
  const r = analyzeStudy(s.rows, s.markers, { seed: 12, replicates: 400 });
  for (const d of r.devices) {
    assert.equal(d.verdict.verdict, 'no_effect', `${d.device}: ${d.verdict.reasons.join('; ')}`);
    // Each interval lies inside the ±1 % band (a 0.1 % difference may still be detectable: the
    // simulated ASIC's fan loop and the air are not perfectly stationary).
    const pct = d.metrics.find((m) => m.metric === 'efficiency_h_per_j')?.effect?.pct;
    assert.ok(pct != null && (pct.lo ?? -9) > -1 && (pct.hi ?? 9) < 1, JSON.stringify(pct));
  }
  assert.ok(['no_effect', 'inconclusive'].includes(r.pooled.verdict.verdict));
});

/** Two S19s at a fixed power target; the air rises 12 °C and falls again, peaking mid-B. */
function asicDriftStudy(phaseMs: number) {
  const seed = 5;
  const start = Date.UTC(2026, 0, 1, 8);
  const total = 3 * phaseMs;
  const air = (t: number) => 22 + 12 * Math.sin((Math.PI * (t - start)) / total) ** 2;
  const sensor = Rng.derive(seed, 'sensor');
  const asics = [0, 1].map((m) => {
    const pool = new SimPool(
      {
        difficulty: S19_PRO.poolDifficulty,
        hashesPerDiff: 2 ** 32,
        jobIntervalMs: 600_000,
        baseLatencyMs: 40,
        baseRejectProb: 0.002,
        url: 'stratum+tcp://btc.example.net:3333',
      },
      Rng.derive(seed, `asic${m}/pool`),
    );
    const a = new SimAsic(`asic${m}`, S19_PRO, pool, Rng.derive(seed, `asic${m}/miner`));
    a.setPowerTarget(3000);
    a.settle(air(start), 1800);
    return a;
  });
  const rows: StudySample[] = [];
  const markers: AbaMarker[] = [];
  for (const [i, phase] of [...PHASES, 'end' as const].entries())
    for (const a of asics)
      markers.push({
        ts_ms: start + i * phaseMs,
        study_id: 'drift',
        rig: a.rig,
        device: 'total',
        phase,
        treatment: 'none',
        setpoint: phase === 'end' ? null : { kind: 'power_limit_w', value: 3000 },
      });
  for (let t = start + STEP_MS; t <= start + total; t += STEP_MS)
    for (const a of asics) {
      a.pool.step(STEP_MS / 1000);
      a.step(STEP_MS / 1000, t, air(t));
      const total = a.snapshots(t).find((s) => s.device === 'total');
      if (total !== undefined) rows.push({ ...total, temp_inlet_c: air(t) + 0.05 * sensor.normal() });
    }
  return { rows, markers };
}

test('inlet drift that fakes a worsening is adjusted away (and never claimed without the covariate)', () => {
  const s = asicDriftStudy(30 * MIN);
  const r = analyzeStudy(s.rows, s.markers, { seed: 13, replicates: 400, covariateDegree: 2 });
  for (const d of r.devices) {
    const eff = d.metrics.find((m) => m.metric === 'efficiency_h_per_j');
    const raw = eff?.effect?.pct ?? null;
    // Without adjustment the hotter B looks worse by more than the 1 % that matters: a fake effect.
    assert.equal(classifyEffect(raw, 'higher', 1, 'raw').verdict, 'worse', JSON.stringify(raw));
    assert.ok(contains(eff?.adjusted?.pct, 0), `adjusted ${JSON.stringify(eff?.adjusted?.pct)}`);
    assert.equal(d.verdict.basis, 'adjusted');
    assert.equal(d.verdict.verdict, 'no_effect', d.verdict.reasons.join('; '));
  }
  assert.ok(!['improved', 'worse'].includes(r.pooled.verdict.verdict));
  // The linear adjustment (default) leaves a curved response's residue but still claims nothing.
  const linear = analyzeStudy(s.rows, s.markers, { seed: 13, replicates: 200 });
  for (const d of linear.devices) assert.ok(!['improved', 'worse'].includes(d.verdict.verdict));
  // With the covariate turned off the shift in inlet temperature is named, not turned into a verdict.
  const off = analyzeStudy(s.rows, s.markers, { seed: 13, replicates: 200, covariate: null });
  for (const d of off.devices) {
    assert.equal(d.verdict.verdict, 'inconclusive');
    assert.match(d.verdict.reasons.join(' '), /confounded: inlet temperature/);
  }
});
