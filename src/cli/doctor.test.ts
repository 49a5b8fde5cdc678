// `rigtune doctor` over a real rigtune.yaml: the simulator's cgminer and XMRig servers answer, a dead
// port fails with a hint, NVML through the fake library (and without it), Valkey up and refused, JSON shape.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort } from '../../test/fakes/raw-tcp-server.ts';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../test/helpers/build-fake-nvml.ts';
import { hasRedisServer, type RedisServer, startRedis } from '../../test/helpers/redis-server.ts';
import { Fleet } from '../sim/index.ts';
import { type CgminerEndpoint, serveCgminer, serveXmrig, type XmrigEndpoint } from '../sim/serve/index.ts';
import { type DoctorReport, formatChecks, runDoctor } from './doctor.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rigtune-doctor-'));
const fleet = new Fleet({ seed: 4, startMs: Date.UTC(2026, 10, 1, 12), gpuRigs: 1, gpusPerRig: 2, asics: 1 });
const hasRedis = hasRedisServer();
let asic: CgminerEndpoint;
let gpu: XmrigEndpoint;
let dead: number;
let nvml: FakeNvml;
let redis: RedisServer | null = null;

before(async () => {
  for (let s = 0; s < 30; s++) fleet.step(1000);
  asic = await serveCgminer(fleet.rig('asic0'));
  gpu = await serveXmrig(fleet.rig('rig0'));
  dead = await closedPort();
  nvml = buildFakeNvml();
  nvml.useScript(fakeNvmlScript('two-gpus.txt'));
  if (hasRedis) redis = await startRedis();
});
after(async () => {
  await asic.close();
  await gpu.close();
  await redis?.stop();
  nvml.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a rigtune.yaml with the live servers, a dead port (optional) and Valkey at `valkeyUrl`. */
function configFile(name: string, o: { dead: boolean; nvml: boolean; valkeyUrl?: string }): string {
  const file = join(dir, name);
  const lines = [
    `data_dir: ${join(dir, 'data')}`,
    'http: {host: 127.0.0.1, port: 0}',
    ...(o.valkeyUrl === undefined ? [] : ['sinks:', `  valkey: {url: "${o.valkeyUrl}"}`]),
    'rigs:',
    '  - name: s19',
    `    sources: [{kind: cgminer, host: 127.0.0.1, port: ${asic.port}}]`,
    '  - name: gpu-box',
    '    sources:',
    `      - {kind: xmrig, url: "http://127.0.0.1:${gpu.port}"}`,
    ...(o.nvml ? ['      - {kind: nvml}'] : []),
    ...(o.dead ? ['  - name: dead', `    sources: [{kind: xmrig, url: "http://127.0.0.1:${dead}"}]`] : []),
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return file;
}

async function doctor(config: string | undefined, env: Record<string, string>, nvmlLibraryPath?: string) {
  const out: string[] = [];
  const r = await runDoctor(
    { config, json: true, timeoutMs: '1000' },
    { out: (t) => void out.push(t), err: () => undefined, env, nvmlLibraryPath },
  );
  return { ...r, json: JSON.parse(out.join('')) as DoctorReport };
}

const statusOf = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.check, c.status]));

test('every source read once: live servers and NVML ok, a dead port fails with a hint; JSON shape', async () => {
  const valkeyUrl = redis?.url;
  const file = configFile('all.yaml', { dead: true, nvml: true, valkeyUrl });
  const { exitCode, json } = await doctor(file, { RIGTUNE_NVML_LIB: nvml.libraryPath });
  assert.equal(exitCode, 1);
  assert.deepEqual(Object.keys(json).sort(), ['checks', 'counts', 'ok']);
  assert.equal(json.ok, false);
  assert.deepEqual(json.counts, { ok: json.checks.length - 1, warn: 0, fail: 1 });
  for (const c of json.checks) {
    assert.deepEqual(
      Object.keys(c).filter((k) => k !== 'details'),
      ['check', 'status', 'message'],
    );
    assert.ok(['ok', 'warn', 'fail'].includes(c.status) && c.message.length > 0);
  }
  assert.deepEqual(statusOf(json), {
    config: 'ok',
    nvml: 'ok',
    'source s19/cgminer#0': 'ok',
    'source gpu-box/xmrig#0': 'ok',
    'source gpu-box/nvml#1': 'ok',
    'source dead/xmrig#0': 'fail',
    valkey: 'ok',
    'data dir': 'ok',
    history: 'ok',
    http: 'ok',
  });
  const byName = new Map(json.checks.map((c) => [c.check, c]));
  assert.match(
    byName.get('source dead/xmrig#0')?.message ?? '',
    /\[RT_SOURCE_CONNECT\]: nothing listens there/,
  );
  assert.match(byName.get('source s19/cgminer#0')?.message ?? '', /^cgminer answers.*: \d+ devices$/);
  assert.match(byName.get('source gpu-box/nvml#1')?.message ?? '', /^nvml answers.*: 2 devices$/);
  assert.match(byName.get('nvml')?.message ?? '', /2 GPUs/);
  if (!hasRedis) assert.match(byName.get('valkey')?.message ?? '', /not configured/);
});

test('without the NVIDIA library an nvml source fails, and Valkey on a closed port is refused', async () => {
  const missing = join(dir, 'none', 'libnvidia-ml.so.1');
  const file = configFile('no-gpu.yaml', { dead: false, nvml: true, valkeyUrl: `redis://127.0.0.1:${dead}` });
  const { exitCode, json } = await doctor(file, { RIGTUNE_NVML_LIB: missing }, missing);
  assert.equal(exitCode, 1);
  const byName = new Map(json.checks.map((c) => [c.check, c]));
  assert.equal(byName.get('nvml')?.status, 'fail');
  assert.match(
    byName.get('nvml')?.message ?? '',
    /^no NVIDIA driver found \(.*not loadable\): GPU sources will not work/,
  );
  assert.equal(byName.get('source gpu-box/nvml#1')?.status, 'fail');
  assert.match(
    byName.get('source gpu-box/nvml#1')?.message ?? '',
    /RT_SOURCE_UNSUPPORTED\]: this source cannot work/,
  );
  assert.equal(byName.get('valkey')?.status, 'fail');
  assert.match(byName.get('valkey')?.message ?? '', /^connection refused at 127\.0\.0\.1:\d+: is Valkey/);
  assert.equal(byName.get('source s19/cgminer#0')?.status, 'ok');
});

test('text lines read ok|warn|fail, check, explanation', () => {
  const text = formatChecks([
    { check: 'nvml', status: 'warn', message: 'no NVIDIA driver found' },
    { check: 'data dir', status: 'ok', message: '/var/lib/rigtune is writable' },
  ]);
  assert.equal(
    text,
    'warn  nvml      no NVIDIA driver found\nok    data dir  /var/lib/rigtune is writable\n',
  );
});

function rigtune(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

test('rigtune doctor exits 0 when nothing fails and 1 on a bad config, one line per check', async () => {
  const good = await rigtune(['doctor', '--config', configFile('good.yaml', { dead: false, nvml: false })]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  const lines = good.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 8, good.stdout);
  for (const line of lines) assert.match(line, /^(ok {2}|warn|fail) {2}\S.* {2}\S/);
  assert.match(good.stderr, /rigtune doctor: \d+ ok, \d+ warning\(s\), 0 failure\(s\)/);
  const badFile = join(dir, 'bad.yaml');
  writeFileSync(badFile, 'rigs:\n  - name: x\n    sources: [{kind: cgminer, host: h}]\n    colour: red\n');
  const bad = await rigtune(['doctor', '--config', badFile]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^fail {2}config {2}.*bad\.yaml:4:5: .*colour/m);
});
