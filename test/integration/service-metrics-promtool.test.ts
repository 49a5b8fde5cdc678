// The running service's /metrics scraped over HTTP: Prometheus's own linter (`promtool check metrics`)
// accepts the page, and every scored device has its gauges under rig/device labels with the latest values.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { parseConfigText } from '../../src/config/index.ts';
import { startFromConfig } from '../../src/runtime/from-config.ts';
import { Fleet } from '../../src/sim/index.ts';
import { serveCgminer, serveXmrig } from '../../src/sim/serve/index.ts';
import { create as createEmbedded } from '../../src/sinks/embedded/index.ts';
import { create as createPrometheus } from '../../src/sinks/prometheus/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { waitUntil } from '../helpers/redis-server.ts';
import { RecordingSink, startApi, startService, T0 } from './service-kit.ts';

const PROMTOOL = '/usr/bin/promtool';
const skip = existsSync(PROMTOOL) ? false : `${PROMTOOL} missing: install the Debian package 'prometheus'`;
const RIGS = { 'rig-a': 3, 'farm "north"\\row': 2 };

/** `promtool check metrics` over `page`: its complaints ('' when none) and exit status. */
function promtool(page: string): { output: string; status: number | null } {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: page, encoding: 'utf8' });
  assert.equal(r.error, undefined);
  return { output: `${r.stdout}${r.stderr}`, status: r.status };
}

/** Samples of `name` as `labels → value`, labels exactly as on the page. */
function samples(page: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const at = line.lastIndexOf('} ');
    out.set(line.slice(name.length, at + 1), Number(line.slice(at + 2)));
  }
  return out;
}

const labels = (rig: string, device: string): string =>
  `{rig="${rig.replace(/[\\"]/g, (c) => `\\${c}`)}",device="${device}"}`;

async function scrape(base: string): Promise<string> {
  const reply = await fetch(`${base}/metrics`);
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return await reply.text();
}

test('/metrics of a scoring service passes promtool and has gauges for every device scored', {
  skip,
}, async () => {
  const recorder = new RecordingSink();
  const store = createEmbedded({}, {});
  const clock = new FakeClock(T0);
  const prom = createPrometheus({}, { clock });
  const svc = await startService(RIGS, [recorder, store, prom], clock);
  const api = await startApi({ state: store, metrics: () => prom.render() });
  try {
    await svc.ticks(20);
    const page = await scrape(api.url);
    assert.deepEqual(promtool(page), { output: '', status: 0 }, page);
    const latest = new Map<string, { power_w: number | null; sep: number | null; cls: number }>();
    const classes = { none: 0, micro: 1, meso: 2, macro: 3 };
    for (const b of recorder.batches) {
      for (const s of b.snapshots) {
        const key = labels(s.rig, s.device);
        latest.set(key, { ...(latest.get(key) ?? { sep: null, cls: 0 }), power_w: s.power_w });
      }
      for (const s of b.scores) {
        const key = labels(s.rig, s.device);
        const was = latest.get(key) ?? { power_w: null };
        latest.set(key, { ...was, sep: s.sep_score, cls: classes[s.rupture_class] });
      }
    }
    const want = Object.entries(RIGS).flatMap(([rig, n]) =>
      Array.from({ length: n }, (_, d) => labels(rig, `gpu${d}`)),
    );
    assert.deepEqual([...latest.keys()].sort(), [...want].sort(), 'every device was scored');
    const power = samples(page, 'rigtune_power_watts');
    const sep = samples(page, 'rigtune_sep_score');
    const cls = samples(page, 'rigtune_rupture_class');
    for (const key of want) {
      const w = latest.get(key);
      assert.equal(power.get(key), w?.power_w, `power ${key}`);
      assert.equal(sep.get(key), w?.sep ?? undefined, `sep_score ${key}`);
      assert.equal(cls.get(key), w?.cls, `rupture class ${key}`);
    }
    for (const family of [
      'rigtune_lambda_hazard',
      'rigtune_temperature_core_celsius',
      'rigtune_hashrate_5s_hashes_per_second',
      'rigtune_last_score_timestamp_seconds',
    ])
      assert.deepEqual([...samples(page, family).keys()].sort(), [...want].sort(), family);
  } finally {
    await svc.service.stop();
    await api.close();
  }
});

test('rigtune.yaml service over the simulator: its /metrics passes promtool', { skip }, async () => {
  const fleet = new Fleet({ seed: 5, startMs: Date.UTC(2026, 10, 1), gpuRigs: 1, gpusPerRig: 2, asics: 1 });
  for (let i = 0; i < 30; i += 1) fleet.step(1000);
  const gpu = await serveXmrig(fleet.rig('rig0'));
  const asic = await serveCgminer(fleet.rig('asic0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-metrics-'));
  const text = [
    `data_dir: ${dir}`,
    'http: {host: 127.0.0.1, port: 0}',
    'sampling: {interval_ms: 1000}',
    'sinks: {parquet: {enabled: false}, audit: {enabled: false}}',
    'rigs:',
    '  - name: gpu-rig',
    `    sources: [{kind: xmrig, url: "http://127.0.0.1:${gpu.port}", interval_ms: 1000}]`,
    '  - name: s19',
    `    sources: [{kind: cgminer, host: 127.0.0.1, port: ${asic.port}, interval_ms: 1000}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'rigtune.yaml'), text);
  const running = await startFromConfig(parseConfigText(text, join(dir, 'rigtune.yaml'), {}), {
    clock: { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: pino({ level: 'silent' }),
    env: {},
    version: 'test',
  });
  try {
    const base = running.address.url;
    const scored = /rigtune_last_score_timestamp_seconds\{rig="(gpu-rig|s19)"/g;
    let page = '';
    await waitUntil(async () => {
      page = await scrape(base);
      return new Set([...page.matchAll(scored)].map((m) => m[1])).size === 2;
    }, 'both rigs are scored on /metrics');
    assert.deepEqual(promtool(page), { output: '', status: 0 }, page);
    const stamped = samples(page, 'rigtune_last_score_timestamp_seconds');
    for (const rig of ['gpu-rig', 's19']) {
      const reply = (await (await fetch(`${base}/api/rigs/${rig}`)).json()) as {
        state: { devices: Array<{ device: string }> };
      };
      assert.ok(reply.state.devices.length >= 2, rig);
      for (const { device } of reply.state.devices)
        assert.ok(stamped.has(labels(rig, device)), `${rig}/${device} on /metrics`);
    }
  } finally {
    await running.stop();
    await gpu.close();
    await asic.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
