// Tests of the Prometheus sink: units converted to base units, null fields give no sample, devices
// expire and are bounded, older samples never replace newer ones, collector health is counted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { fullBatch, fullScore, fullSnapshot } from '../../../test/helpers/prometheus-fleet.ts';
import type { RigTickBatch } from '../../core/sink.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { create, type PrometheusOptionsInput } from './index.ts';

const T0 = Date.UTC(2026, 2, 1);

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Parses exposition text into samples (enough of the format for these tests). */
function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert.ok(m, `unparseable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

function makeSink(clock: FakeClock, options: PrometheusOptionsInput = {}) {
  return create({ process_metrics: false, ...options }, { clock, monotonicMs: () => 0 });
}

async function samplesOf(sink: ReturnType<typeof makeSink>): Promise<Sample[]> {
  return parseSamples((await sink.render()).body);
}

test('device gauges carry base units and the rig/device labels', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  sink.write(fullBatch('rig-1', T0, 2));
  const page = await sink.render();
  assert.equal(page.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const s = parseSamples(page.body);
  const gpu1 = { rig: 'rig-1', device: 'gpu1' };
  const expected: Record<string, number> = {
    rigtune_sep_score: 87.5,
    rigtune_rupture_class: 0,
    rigtune_lambda_hazard: 0.0456,
    rigtune_change_probability: 0.0123,
    rigtune_efficiency_hashes_per_joule: 571_000.25,
    rigtune_reject_ratio: 0.004,
    rigtune_thermal_headroom_celsius: 19,
    rigtune_power_watts: 216.5,
    rigtune_temperature_core_celsius: 65,
    rigtune_temperature_memory_celsius: 78,
    rigtune_hashrate_5s_hashes_per_second: 1.23e8 + 1,
    rigtune_fan_speed_ratio: 0.55,
    rigtune_fan_speed_rpm: 2100,
    rigtune_clock_core_hertz: 1.41e9,
    rigtune_clock_memory_hertz: 9.501e9,
    rigtune_utilization_ratio: 0.99,
    rigtune_stratum_latency_seconds: 0.042,
    rigtune_shares_accepted_total: 1234,
    rigtune_energy_joules_total: 9.87e7,
    rigtune_last_sample_timestamp_seconds: T0 / 1000,
    rigtune_last_score_timestamp_seconds: T0 / 1000,
  };
  for (const [name, value] of Object.entries(expected)) assert.equal(sampleValue(s, name, gpu1), value, name);
  assert.equal(sampleValue(s, 'rigtune_exporter_devices'), 2);
  // Per-device series use only the rig and device labels.
  for (const sample of s.filter((x) => 'rig' in x.labels))
    assert.deepEqual(Object.keys(sample.labels).sort(), ['device', 'rig'], sample.name);
});

test('rupture classes are ordinals 0-3 (none, micro, meso, macro)', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  const classes = ['none', 'micro', 'meso', 'macro'] as const;
  const scores = classes.map((c, d) => ({ ...fullScore(T0, 'r', d), rupture_class: c }));
  sink.write({ ...fullBatch('r', T0, 0), scores });
  const s = await samplesOf(sink);
  assert.deepEqual(
    classes.map((_, d) => sampleValue(s, 'rigtune_rupture_class', { device: `gpu${d}` })),
    [0, 1, 2, 3],
  );
});

test('a null field gives no sample for that device, never 0', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  const batch = fullBatch('r', T0, 2);
  const snapshots = [{ ...batch.snapshots[0], power_w: null, clock_core_mhz: null }, batch.snapshots[1]];
  const first = batch.scores[0];
  const scores = [{ ...first, sep_score: null, kpis: { ...first.kpis, reject_rate: null } }, batch.scores[1]];
  sink.write({ ...batch, snapshots, scores });
  const s = await samplesOf(sink);
  for (const name of [
    'rigtune_power_watts',
    'rigtune_clock_core_hertz',
    'rigtune_sep_score',
    'rigtune_reject_ratio',
  ]) {
    assert.equal(sampleValue(s, name, { device: 'gpu0' }), undefined, name);
    assert.notEqual(sampleValue(s, name, { device: 'gpu1' }), undefined, name);
  }
  // A device with a score but no snapshot yet has score series only.
  const only = makeSink(clock);
  only.write({ ...batch, snapshots: [] });
  const o = await samplesOf(only);
  assert.equal(sampleValue(o, 'rigtune_power_watts'), undefined);
  assert.equal(sampleValue(o, 'rigtune_sep_score', { device: 'gpu0' }), 87.5);
});

test('rig and device names with quotes, backslashes and newlines are escaped', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  const rig = 'farm "north"\\row 3\nrack';
  sink.write(fullBatch(rig, T0, 1));
  const { body } = await sink.render();
  assert.ok(body.includes('rig="farm \\"north\\"\\\\row 3\\nrack"'));
  assert.equal(sampleValue(parseSamples(body), 'rigtune_sep_score', { rig, device: 'gpu0' }), 87.5);
});

test('an older, late sample never replaces a newer one', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  sink.write(fullBatch('r', T0 + 2000, 1));
  const late = fullBatch('r', T0 + 1000, 1);
  sink.write({ ...late, snapshots: [{ ...late.snapshots[0], power_w: 1 }] });
  const s = await samplesOf(sink);
  assert.equal(sampleValue(s, 'rigtune_power_watts'), 215.5);
  assert.equal(sampleValue(s, 'rigtune_last_sample_timestamp_seconds'), (T0 + 2000) / 1000);
});

test('a device not seen for stale_after_ms has its series removed', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock, { stale_after_ms: 10_000 });
  sink.write(fullBatch('a', T0, 1));
  sink.write(fullBatch('b', T0, 1));
  await clock.advance(6000);
  sink.write(fullBatch('b', clock.nowMs(), 1));
  await clock.advance(4001);
  let s = await samplesOf(sink);
  assert.equal(sampleValue(s, 'rigtune_sep_score', { rig: 'a' }), undefined);
  assert.equal(sampleValue(s, 'rigtune_sep_score', { rig: 'b' }), 87.5);
  assert.equal(sampleValue(s, 'rigtune_exporter_devices'), 1);
  assert.equal(sampleValue(s, 'rigtune_exporter_devices_expired_total'), 1);
  await clock.advance(6000);
  s = await samplesOf(sink);
  assert.equal(
    s.filter((x) => 'rig' in x.labels).length,
    0,
    'no per-device series left once every device expired',
  );
  assert.equal(sink.devices, 0);
});

test('beyond max_devices new devices are refused and counted; known ones still update', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock, { max_devices: 3 });
  sink.write(fullBatch('a', T0, 2));
  sink.write(fullBatch('b', T0, 2));
  assert.equal(sink.devices, 3);
  assert.equal(sink.health().dropped, 1);
  const next = fullBatch('a', T0 + 1000, 2);
  sink.write({ ...next, scores: next.scores.map((x) => ({ ...x, sep_score: 10 })) });
  assert.equal(sink.health().dropped, 1);
  const s = await samplesOf(sink);
  assert.equal(sampleValue(s, 'rigtune_sep_score', { rig: 'a', device: 'gpu1' }), 10);
  assert.equal(sampleValue(s, 'rigtune_sep_score', { rig: 'b', device: 'gpu1' }), undefined);
  // The refused device: its snapshot and its score, in two batches.
  assert.equal(sampleValue(s, 'rigtune_exporter_devices_refused_total'), 2);
});

test('collector health: polls, errors, sink batches, queue, spool, drops, stage durations', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  sink.recordSourcePoll('source.cgminer', true);
  sink.recordSourcePoll('source.cgminer', false, 'timeout');
  sink.recordSourcePoll('source.cgminer', false, 'Weird Kind!');
  sink.recordSinkBatches('valkey', 3);
  sink.recordSinkBatches('valkey');
  sink.recordSinkHealth('valkey', { ok: false, queued: 7, spooled: 12, dropped: 2, lastError: 'down' });
  sink.recordSinkHealth('valkey', { ok: false, queued: 7, spooled: 12, dropped: 5, lastError: 'down' });
  // A rebuilt sink starts counting again: its new figure is added, the total never goes back.
  sink.recordSinkHealth('valkey', { ok: true, queued: 0, spooled: 0, dropped: 1, lastError: null });
  sink.recordStageDuration('score', 0.02);
  sink.recordStageDuration('score', Number.NaN);
  const s = await samplesOf(sink);
  const cg = { component: 'source.cgminer' };
  assert.equal(sampleValue(s, 'rigtune_source_polls_total', cg), 3);
  assert.equal(sampleValue(s, 'rigtune_source_errors_total', { ...cg, error_type: 'timeout' }), 1);
  assert.equal(sampleValue(s, 'rigtune_source_errors_total', { ...cg, error_type: 'other' }), 1);
  const vk = { component: 'valkey' };
  assert.equal(sampleValue(s, 'rigtune_sink_batches_total', vk), 4);
  assert.equal(sampleValue(s, 'rigtune_sink_up', vk), 1);
  assert.equal(sampleValue(s, 'rigtune_sink_queue_length', vk), 0);
  assert.equal(sampleValue(s, 'rigtune_sink_spool_length', vk), 0);
  assert.equal(sampleValue(s, 'rigtune_sink_dropped_total', vk), 6);
  assert.equal(sampleValue(s, 'rigtune_stage_duration_seconds_count', { stage: 'score' }), 1);
  assert.equal(sampleValue(s, 'rigtune_stage_duration_seconds_sum', { stage: 'score' }), 0.02);
  // Only the allowed labels appear on rigtune_ metrics (le is the histogram's own).
  const allowed = new Set(['rig', 'device', 'component', 'error_type', 'stage', 'le']);
  for (const x of s.filter((x) => x.name.startsWith('rigtune_')))
    for (const k of Object.keys(x.labels)) assert.ok(allowed.has(k), `${x.name} has label ${k}`);
});

test('active advice gauge: replaced on each call; malformed rigs folded into other and summed', async () => {
  const sink = makeSink(new FakeClock(T0));
  sink.recordActiveAdvice([
    { rig: 'rig-a', kind: 'raise_fan', count: 2 },
    { rig: 'rig-a', kind: 'check_pool', count: 0 },
    { rig: 'bad rig', kind: 'raise_fan', count: 1 },
    { rig: 'worse"rig', kind: 'raise_fan', count: 1 },
  ]);
  let s = (await samplesOf(sink)).filter((x) => x.name === 'rigtune_advice_active');
  assert.deepEqual(
    s.map((x) => [x.labels.rig, x.labels.kind, x.value]),
    [
      ['rig-a', 'raise_fan', 2],
      ['rig-a', 'check_pool', 0],
      ['other', 'raise_fan', 2],
    ],
  );
  sink.recordActiveAdvice([{ rig: 'rig-b', kind: 'check_fan', count: 1 }]);
  s = (await samplesOf(sink)).filter((x) => x.name === 'rigtune_advice_active');
  assert.deepEqual(
    s.map((x) => [x.labels.rig, x.labels.kind, x.value]),
    [['rig-b', 'check_fan', 1]],
  );
});

test('process metrics are there when asked for, and no gauge is named like a counter', async () => {
  const sink = create({}, { clock: new FakeClock(T0) });
  const { body } = await sink.render();
  assert.match(body, /^process_cpu_seconds_total \S+$/m);
  assert.match(body, /^# TYPE nodejs_heap_size_used_bytes gauge$/m);
  for (const m of body.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    if (m[1].endsWith('_total')) assert.equal(m[2], 'counter', m[1]);
  await sink.close();
});

test('flush resolves at once; close forgets everything, ignores later writes, and is idempotent', async () => {
  const clock = new FakeClock(T0);
  const sink = makeSink(clock);
  sink.write(fullBatch('r', T0, 1));
  await sink.flush();
  assert.deepEqual(sink.health(), { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null });
  await sink.close();
  await sink.close();
  const batch: RigTickBatch = {
    rig: 'r',
    ts: T0,
    snapshots: [fullSnapshot(T0, 'r', 0)],
    scores: [],
    events: [],
    state: { schema: SCHEMA_VERSION, rig: 'r', ts: T0, devices: [] },
  };
  sink.write(batch);
  assert.equal(sink.devices, 0);
  assert.deepEqual(parseSamples((await sink.render()).body), []);
});
