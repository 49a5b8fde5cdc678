// The one sink builder of `rigtune run`, demo and replay: the sinks a rigtune.yaml enables in order, the
// Prometheus sink as the service's runtime metrics, and the API over them; replay records into it too.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { parseConfigText } from '../config/index.ts';
import { buildApi, buildSinks } from './build-sinks.ts';
import { startReplay } from './replay.ts';
import { MAX_SPEED } from './replay-clock.ts';
import { memoryReader } from './replay-test-kit.ts';
import { scanTrace } from './replay-trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-build-sinks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const silent = pino({ level: 'silent' });

/** A config with `sinks` (a YAML flow map) under a fresh data directory. */
function config(name: string, sinks: string) {
  const yaml = [
    `data_dir: ${JSON.stringify(join(dir, name))}`,
    'http: {host: 127.0.0.1, port: 0}',
    `sinks: ${sinks}`,
    'rigs:',
    '  - name: r1',
    '    sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]',
    '',
  ].join('\n');
  return parseConfigText(yaml, '<test>', {});
}

test('every sink the file enables, embedded first; Prometheus is the runtime metrics and serves /metrics', async () => {
  const built = await buildSinks(config('all', '{}'), { clock: new FakeClock(0), logger: silent, env: {} });
  try {
    assert.deepEqual(
      built.sinks.map((s) => s.name),
      ['embedded', 'readings', 'prometheus', 'parquet', 'audit'],
    );
    assert.equal(built.sinks[0], built.store);
    assert.ok(built.prometheus !== null);
    assert.equal(built.runtimeMetrics, built.prometheus, 'the service records its health in the sink');
    assert.ok(built.history !== null);
    const api = buildApi(built, { version: 't', configured: () => [{ rig: 'r1', sources: [] }] });
    try {
      built.prometheus.recordSourcePoll('source.xmrig', true);
      const metrics = await api.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /rigtune_source_polls_total\{component="source.xmrig"\} 1/);
      const rigs = JSON.parse((await api.app.inject({ method: 'GET', url: '/api/rigs' })).body);
      assert.deepEqual(
        rigs.rigs.map((r: { rig: string }) => r.rig),
        ['r1'],
      );
      const health = JSON.parse((await api.app.inject({ method: 'GET', url: '/healthz' })).body);
      assert.ok(JSON.stringify(health).includes('sink.parquet'), JSON.stringify(health));
    } finally {
      await api.close();
    }
  } finally {
    await built.closeAll();
  }
});

test('only the embedded store when the file turns the others off: no runtime metrics, empty /metrics', async () => {
  const off = '{prometheus: {enabled: false}, parquet: {enabled: false}, audit: {enabled: false}}';
  const built = await buildSinks(config('none', off), { clock: new FakeClock(0), logger: silent, env: {} });
  assert.deepEqual(
    built.sinks.map((s) => s.name),
    ['embedded', 'readings'],
  );
  assert.equal(built.prometheus, null);
  assert.equal(built.runtimeMetrics, undefined);
  assert.equal(built.history, null);
  const api = buildApi(built, { version: 't' });
  assert.equal((await api.app.inject({ method: 'GET', url: '/metrics' })).body, '');
  await api.close();
  await built.closeAll();
});

test('a replay records its polls and scores in the Prometheus sink, as `rigtune run` does', async () => {
  const T0 = 1_793_534_400_000;
  const rows: Array<[number, string, string, number]> = [];
  for (let i = 0; i < 20; i++) rows.push([T0 + i * 1000, 'rig-a', 'gpu0', 200 + (i % 3)]);
  const off = '{parquet: {enabled: false}, audit: {enabled: false}}';
  const wall = new FakeClock(1_000_000);
  const replay = await startReplay({
    scan: await scanTrace(memoryReader(rows)),
    speed: MAX_SPEED,
    config: config('replay', off),
    configThresholds: false,
    http: true,
    clock: wall,
    wallTimers: wall,
    logger: silent,
    env: {},
    version: 't',
  });
  try {
    await wall.advance(0);
    await replay.ended;
    const api = replay.api;
    assert.ok(api !== null);
    const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /rigtune_source_polls_total\{component="source.replay"\} \d+/);
    assert.match(metrics, /rigtune_sep_score\{rig="rig-a",device="gpu0"\}/);
    const rigs = JSON.parse((await api.app.inject({ method: 'GET', url: '/api/rigs' })).body);
    assert.deepEqual(
      rigs.rigs.map((r: { rig: string }) => r.rig),
      ['rig-a'],
    );
  } finally {
    await replay.stop();
  }
});
