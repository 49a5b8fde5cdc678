// The A-B-A report from a hand-made StudyResult: the verdict sentence first, every device's sections and
// numbers, self-contained HTML; "improved" with an interval crossing zero is never reported as improved.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AbaMetric,
  DeviceResult,
  Estimate,
  MetricResult,
  StudyResult,
  StudySample,
  VerdictResult,
} from '../aba/index.ts';
import { renderStudyReport } from './aba-report.ts';
import {
  reportedVerdict,
  type StudyInputs,
  studyHeadline,
  summaryLine,
  verdictSentence,
} from './aba-summary.ts';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const PHASE_MS = 600_000;
const est = (value: number | null, lo: number | null, hi: number | null): Estimate => ({ value, lo, hi });

function metric(m: AbaMetric, base: number, pct: number, rate = false): MetricResult {
  const b = base * (1 + pct / 100);
  const n = { A1: 100, B: 100, A2: 100 };
  return {
    metric: m,
    unit: m === 'power_w' ? 'W' : m === 'efficiency_h_per_j' ? 'H/J' : 'u',
    better: 'higher',
    phases: (['A1', 'B', 'A2'] as const).map((phase) => {
      const v = phase === 'B' ? b : base;
      return { phase, value: v, lo: v * 0.99, hi: v * 1.01, n: 100, n_eff: 40 };
    }),
    effect: {
      ...est(b - base, (b - base) * 0.5, (b - base) * 1.5),
      se: 1,
      baseline: base,
      pct: est(pct, pct - 1.5, pct + 1.5),
      pct_se: 0.75,
      mde: 1,
      mde_pct: 1,
      n,
    },
    carry_over: { ...est(0.1, -0.5, 0.7), pct: est(0.2, -0.4, 0.8), flagged: false },
    adjusted: null,
    rate_test: rate
      ? {
          count_a: 10,
          exposure_a: 2000,
          count_b: 4,
          exposure_b: 1000,
          rate_a: 0.005,
          rate_b: 0.004,
          rate_ratio: est(0.8, 0.2, 2.6),
          p_value: 0.8,
          exposure_unit: 'shares',
        }
      : null,
    direction: 'up',
    block_length: 8,
    notes: [],
  };
}

function verdict(v: VerdictResult['verdict'], e: Estimate | null, reasons: string[] = []): VerdictResult {
  return { verdict: v, metric: 'efficiency_h_per_j', basis: 'unadjusted', effect_pct: e, reasons };
}

function device(name: string, pct: number, v: VerdictResult): DeviceResult {
  return {
    rig: 'rig1',
    device: name,
    treatment: 'power_limit_w=180',
    windows: (['A1', 'B', 'A2'] as const).map((phase, i) => ({
      phase,
      start_ms: T0 + i * PHASE_MS,
      end_ms: T0 + (i + 1) * PHASE_MS,
      analysed_from_ms: T0 + i * PHASE_MS + 60_000,
      settle_ms: 60_000,
      open_end: false,
      samples: 100,
      setpoint: { kind: 'power_limit_w', value: phase === 'B' ? 180 : 200 },
    })),
    sample_interval_ms: 5000,
    block_length: 8,
    hashrate_field: 'hashrate_5s',
    metrics: [
      metric('efficiency_h_per_j', 5e5, pct),
      metric('power_w', 200, -10),
      metric('reject_rate', 0.005, -20, true),
    ],
    verdict: v,
    pooled: v.verdict !== 'inconclusive',
    notes: ['phase A2 was resumed after a restart'],
  };
}

function result(pooled: VerdictResult, devices: DeviceResult[]): StudyResult {
  return {
    schema: 'rigtune.aba/1',
    study_id: 'pl-180',
    treatment: 'power_limit_w=180',
    method: {
      confidence: 0.95,
      replicates: 2000,
      seed: 1,
      bootstrap: 'moving block',
      settle_ms: 60_000,
      settle_fraction: 0.1,
      min_phase_ms: 300_000,
      min_effective_n: 10,
      min_effect_pct: 1,
      covariate: 'temp_inlet_c',
      covariate_degree: 1,
      time_trend: false,
      pooling: 'random effects (DerSimonian–Laird)',
    },
    devices,
    pooled: {
      method: 'random effects (DerSimonian–Laird)',
      devices: devices.length,
      metrics: [
        {
          metric: 'efficiency_h_per_j',
          effect_pct: { ...(pooled.effect_pct ?? est(null, null, null)), se: 0.5 },
          basis: 'unadjusted',
          k: 2,
          tau2: 0,
          i2: 0,
          q: 0.3,
          rate_test: null,
        },
      ],
      verdict: pooled,
    },
    warnings: ['rows without markers ignored: 12 <b>'],
  };
}

const INPUTS: StudyInputs = {
  data_dir: '/data',
  markers_source: '/data/aba_markers',
  study_id: 'pl-180',
  treatment: 'power_limit_w=180',
  from_ms: T0,
  to_ms: T0 + 3 * PHASE_MS,
  markers: 8,
  rows: 720,
  rows_per_device: { 'rig1/gpu0': 360, 'rig1/gpu1': 360 },
  files: 2,
  missing_fields: ['hashrate_1m'],
};

function rows(): StudySample[] {
  const out: StudySample[] = [];
  for (const d of ['gpu0', 'gpu1'])
    for (let t = T0; t <= T0 + 3 * PHASE_MS; t += 5000) {
      const inB = t >= T0 + PHASE_MS && t < T0 + 2 * PHASE_MS;
      const p = inB ? 180 : 200;
      out.push({
        ts: t,
        rig: 'rig1',
        device: d,
        power_w: p,
        hashrate_5s: p * 5e5 * (inB ? 1.031 : 1),
        temp_core_c: 60,
        temp_inlet_c: 25,
      });
    }
  return out;
}

test('an improvement: headline first with the interval and n, every section present, self-contained', () => {
  const pooledV = verdict('improved', est(3.1, 1.2, 5.0), ['Both devices agree.']);
  const r = result(pooledV, [
    device('gpu0', 3.1, verdict('improved', est(3.1, 1.6, 4.6))),
    device('gpu1', 0.4, verdict('inconclusive', est(0.4, -1.1, 1.9), ['The interval includes zero.'])),
  ]);
  assert.equal(
    studyHeadline(r),
    'B improved efficiency by 3.1 % (95 % CI 1.2–5.0 %, n=1 device, 300 samples).',
  );
  const page = renderStudyReport({ result: r, inputs: INPUTS, rows: rows() });
  const first = page.indexOf('B improved efficiency by 3.1 %');
  assert.ok(first > 0 && first < page.indexOf('<section'), 'the verdict comes before any section');
  for (const s of [
    'id="pooled"',
    'id="device-rig1-gpu0"',
    'id="device-rig1-gpu1"',
    'id="method"',
    'id="warnings"',
  ])
    assert.ok(page.includes(s), s);
  assert.match(
    page,
    /Inconclusive: The interval includes zero; B − A = \+0.4 % \(95 % CI −1.1 to 1.9 %, n=1 device, 300 samples\)/,
  );
  assert.equal(
    (page.match(/<svg /g) ?? []).length,
    1 + 2 * (4 + 2),
    'forest + per device 4 series and 2 distributions',
  );
  for (const label of [
    '>A1</text>',
    '>B</text>',
    '>A2</text>',
    'Carry-over',
    'Rate tests',
    'rate ratio B/A',
    'moving block',
    'hashrate_1m',
  ])
    assert.ok(page.includes(label), label);
  assert.match(page, /rows without markers ignored: 12 &lt;b&gt;/);
  assert.ok(!page.includes('http') && !page.includes('<script') && !/\ssrc=/.test(page));
  assert.ok([...page.matchAll(/href="([^"]*)"/g)].every((m) => m[1].startsWith('#')));
  assert.ok(!page.includes('NaN') && !page.includes('undefined'));
  assert.deepEqual(summaryLine(r, '/out/report.html'), {
    study_id: 'pl-180',
    devices: 2,
    verdict: 'improved',
    effect_pct: 3.1,
    ci_low_pct: 1.2,
    ci_high_pct: 5,
    report: '/out/report.html',
  });
});

test('never claims an effect whose interval includes zero, whatever the verdict field says', () => {
  const wrong = verdict('improved', est(2, -0.5, 4.5), ['improved']);
  assert.equal(reportedVerdict(wrong), 'inconclusive');
  const r = result(wrong, [device('gpu0', 2, wrong)]);
  assert.match(studyHeadline(r), /^Inconclusive: the interval includes zero; B − A = \+2.0 %/);
  assert.equal(summaryLine(r, 'x').verdict, 'inconclusive');
  assert.equal(reportedVerdict(verdict('worse', null)), 'inconclusive');
});

test('figures keep enough decimals not to read as zero; a small effect says it is small', () => {
  const base = result(verdict('improved', est(0.6, 0.02, 1.1)), []);
  assert.equal(
    verdictSentence(verdict('improved', est(0.6, 0.02, 1.1)), base, { devices: 2, samples: 1620 }),
    'B improved efficiency by 0.60 % (95 % CI 0.02–1.10 %, n=2 devices, 1620 samples) — smaller than the ±1 % that matters.',
  );
});

test('no effect and worse read plainly; a missing estimate says so without numbers', () => {
  const base = result(verdict('no_effect', est(0.1, -0.4, 0.6)), []);
  assert.equal(
    verdictSentence(verdict('no_effect', est(0.1, -0.4, 0.6)), base, { devices: 3, samples: 900 }),
    'No efficiency change beyond ±1 %: B − A = +0.1 % (95 % CI −0.4 to 0.6 %, n=3 devices, 900 samples).',
  );
  assert.equal(
    verdictSentence(verdict('worse', est(-2.5, -4, -1)), base, { devices: 1, samples: 300 }),
    'B lowered efficiency by 2.5 % (95 % CI −4.0 to −1.0 %, n=1 device, 300 samples).',
  );
  assert.equal(
    verdictSentence(
      verdict('inconclusive', null, ['Phase A2 is too short (2m00s analysed, 5m00s needed).']),
      base,
      { devices: 1, samples: 40 },
    ),
    'Inconclusive: Phase A2 is too short (2m00s analysed, 5m00s needed) (n=1 device, 40 samples).',
  );
});
