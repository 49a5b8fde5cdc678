// `sources probe` end to end over real loopback sockets: the simulator's cgminer and XMRig servers
// are identified through the real sources, a refused port and a hung socket fail with clear messages.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort, type RawTcpServer, startRawTcpServer } from '../../test/fakes/raw-tcp-server.ts';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../test/helpers/build-fake-nvml.ts';
import { Fleet } from '../sim/index.ts';
import { type CgminerEndpoint, serveCgminer, serveXmrig, type XmrigEndpoint } from '../sim/serve/index.ts';
import { parseProbeAddress, probeAddress, runProbe } from './sources-probe.ts';

const fleet = new Fleet({
  seed: 11,
  startMs: Date.UTC(2026, 10, 1, 12),
  gpuRigs: 1,
  gpusPerRig: 2,
  asics: 1,
});
let asic: CgminerEndpoint;
let gpu: XmrigEndpoint;
let hung: RawTcpServer;
let refused: number;
let nvml: FakeNvml;

before(async () => {
  for (let s = 0; s < 120; s++) fleet.step(1000);
  asic = await serveCgminer(fleet.rig('asic0'));
  gpu = await serveXmrig(fleet.rig('rig0'));
  hung = await startRawTcpServer(() => {
    // Accepts and never answers, never closes.
  });
  refused = await closedPort();
  nvml = buildFakeNvml();
  nvml.useScript(fakeNvmlScript('two-gpus.txt'));
});
after(async () => {
  await asic.close();
  await gpu.close();
  await hung.close();
  nvml.remove();
});

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));

/** Runs bin/rigtune (a child process; the servers above answer it) and collects exit code and output. */
function rigtune(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(BIN, [...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), env: {} },
  };
}

test('addresses: host:port, host, [v6]:port, bare v6, nvml; bad ones are usage errors', () => {
  assert.deepEqual(parseProbeAddress('10.0.0.5:4028'), {
    text: '10.0.0.5:4028',
    local: null,
    host: '10.0.0.5',
    port: 4028,
  });
  assert.deepEqual(parseProbeAddress('miner7'), { text: 'miner7', local: null, host: 'miner7', port: null });
  assert.equal(parseProbeAddress('[::1]:8080').host, '::1');
  assert.equal(parseProbeAddress('[::1]:8080').port, 8080);
  assert.equal(parseProbeAddress('fe80::1').host, 'fe80::1');
  assert.equal(parseProbeAddress('nvml').local, 'nvml');
  for (const bad of ['', 'a:b:c:x', 'host:0', 'host:70000', 'http://x:1', 'a b'])
    assert.throws(() => parseProbeAddress(bad), { code: 'RT_CLI_USAGE' }, bad);
});

test('the simulated Antminer answers as cgminer: dialect, model, firmware and one snapshot per board', async () => {
  const r = await probeAddress(parseProbeAddress(`127.0.0.1:${asic.port}`), { timeoutMs: 1000 });
  assert.equal(r.ok, true, JSON.stringify(r.attempts));
  assert.equal(r.kind, 'cgminer');
  assert.equal(r.endpoint, `127.0.0.1:${asic.port}`);
  assert.equal(r.identity.dialect, 'antminer');
  assert.match(r.identity.model ?? '', /Antminer S19/);
  assert.ok(r.identity.firmware);
  const devices = r.snapshots.map((s) => s.device).sort();
  assert.deepEqual(devices, ['board1', 'board2', 'board3', 'total']);
  const total = r.snapshots.find((s) => s.device === 'total');
  const miner = fleet.asic('asic0');
  assert.ok(
    total?.hashrate_5s !== null &&
      Math.abs((total?.hashrate_5s ?? 0) - miner.hashrate5s) / miner.hashrate5s < 1e-3,
  );
  assert.equal(total?.accepted_shares, miner.shares.accepted);
  assert.ok(r.snapshots.every((s) => s.rig === `127.0.0.1:${asic.port}`));
  // The HTTP kinds were tried first (the port is not 4028) and failed cleanly.
  assert.deepEqual(
    r.attempts.map((a) => a.kind),
    ['xmrig', 'lolminer', 'trex', 'gminer', 'cgminer'],
  );
});

test('the simulated XMRig rig answers as xmrig with one snapshot per GPU joined by PCI bus id', async () => {
  const r = await probeAddress(parseProbeAddress(`127.0.0.1:${gpu.port}`), { timeoutMs: 1000 });
  assert.equal(r.ok, true, JSON.stringify(r.attempts));
  assert.equal(r.kind, 'xmrig');
  assert.equal(r.identity.model, 'XMRig');
  assert.ok(r.identity.firmware);
  const gpus = r.devices.filter((d) => d.pci_bus_id !== undefined).map((d) => d.pci_bus_id);
  assert.deepEqual(gpus.sort(), ['0000:01:00.0', '0000:02:00.0']);
  assert.ok(r.snapshots.some((s) => s.device === 'total' && s.hashrate_5s !== null));
  assert.equal(r.attempts.length, 1);
});

test('a refused port: one attempt, connect error, exit code 1 with one clear line', async () => {
  const c = capture();
  const { results, exitCode } = await runProbe([`127.0.0.1:${refused}`], { timeoutMs: '200' }, c.io);
  assert.equal(exitCode, 1);
  assert.equal(results[0].ok, false);
  assert.equal(results[0].attempts.length, 1, 'a refused port is refused for every kind');
  assert.equal(results[0].attempts[0].error?.kind, 'connect');
  assert.equal(c.out.join(''), '');
  assert.equal(c.err.length, 1);
  assert.match(
    c.err[0],
    new RegExp(`^rigtune: 127\\.0\\.0\\.1:${refused}: nothing answers: .*\\[RT_SOURCE_CONNECT\\]\\n$`),
  );
});

test('a hung socket: every kind times out, the message lists each, exit code 1', async () => {
  const c = capture();
  const { results, exitCode } = await runProbe([`127.0.0.1:${hung.port}`], { timeoutMs: '100' }, c.io);
  assert.equal(exitCode, 1);
  const kinds = results[0].attempts.map((a) => [a.kind, a.error?.kind]);
  assert.deepEqual(kinds, [
    ['xmrig', 'timeout'],
    ['lolminer', 'timeout'],
    ['trex', 'timeout'],
    ['gminer', 'timeout'],
    ['cgminer', 'timeout'],
  ]);
  const text = c.err.join('');
  assert.match(text, /no known API answered \(timeout 100 ms per request\)/);
  assert.equal(text.match(/\[RT_SOURCE_TIMEOUT\]/g)?.length, 5);
});

test('several addresses at once: tables for those that answered, messages for the rest', async () => {
  const c = capture();
  const addrs = [`127.0.0.1:${asic.port}`, `127.0.0.1:${refused}`, `127.0.0.1:${gpu.port}`];
  const { exitCode } = await runProbe(addrs, { timeoutMs: '1000' }, c.io);
  assert.equal(exitCode, 1);
  const out = c.out.join('');
  assert.match(
    out,
    new RegExp(`127\\.0\\.0\\.1:${asic.port}: cgminer at .* \\(dialect antminer, model Antminer S19`),
  );
  assert.match(out, /\n {2}field +total +board1 +board2 +board3\n/);
  assert.match(out, /\n {2}temp_chip_max_c +[\d.]+/);
  assert.match(out, new RegExp(`127\\.0\\.0\\.1:${gpu.port}: xmrig at `));
  assert.equal(c.err.length, 1);
});

test('--json prints every result as one JSON document; a bad timeout is a usage error', async () => {
  const c = capture();
  const { exitCode } = await runProbe([`127.0.0.1:${asic.port}`], { json: true, timeoutMs: '1000' }, c.io);
  assert.equal(exitCode, 0);
  const parsed = JSON.parse(c.out.join('')) as {
    ok: boolean;
    kind: string;
    snapshots: { device: string }[];
  }[];
  assert.equal(parsed.length, 1);
  assert.equal(parsed[0].kind, 'cgminer');
  assert.equal(parsed[0].snapshots.length, 4);
  await assert.rejects(runProbe(['x:1'], { timeoutMs: 'soon' }, c.io), { code: 'RT_CLI_USAGE' });
  await assert.rejects(runProbe(['x:1'], { timeoutMs: '5' }, c.io), { code: 'RT_CLI_USAGE' });
});

test('nvml without the library: a clear unsupported error, no crash', async () => {
  const env = { RIGTUNE_NVML_LIB: '/nonexistent/libnvidia-ml.so.1' };
  const r = await probeAddress(parseProbeAddress('nvml'), { timeoutMs: 500, env });
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.attempts.map((a) => [a.kind, a.endpoint, a.error?.kind]),
    [['nvml', 'nvml', 'unsupported']],
  );
});

test('bin/rigtune sources probe: JSON for the simulated miner (exit 0), one line for a refused port (exit 1)', async () => {
  const ok = await rigtune(['sources', 'probe', `127.0.0.1:${asic.port}`, '--json', '--timeout-ms', '1000']);
  assert.equal(ok.code, 0, ok.stderr);
  const [r] = JSON.parse(ok.stdout) as {
    kind: string;
    identity: { dialect: string };
    snapshots: unknown[];
  }[];
  assert.equal(r.kind, 'cgminer');
  assert.equal(r.identity.dialect, 'antminer');
  assert.equal(r.snapshots.length, 4);
  const bad = await rigtune(['sources', 'probe', `127.0.0.1:${refused}`, '--timeout-ms', '200']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /nothing answers: .*ECONNREFUSED.*\[RT_SOURCE_CONNECT\]/);
});

test('bin/rigtune sources probe nvml reads the GPUs of the (fake) NVML library', async () => {
  const env = { ...process.env, RIGTUNE_NVML_LIB: nvml.libraryPath };
  const r = await rigtune(['sources', 'probe', 'nvml'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^nvml: nvml at nvml \(model NVIDIA H100 80GB HBM3.*\), 2 devices\n/);
  assert.match(r.stdout, /\n {2}pci_bus_id +0000:00:06\.0 /);
  assert.match(r.stdout, /\n {2}power_w +72\.16 /);
});

test('--config reads every configured source once: answered ones print, a refused one fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-probe-'));
  const file = join(dir, 'rigtune.yaml');
  writeFileSync(
    file,
    [
      'rigs:',
      '  - name: gpu-rig',
      '    sources:',
      `      - { kind: xmrig, url: "http://127.0.0.1:${gpu.port}" }`,
      '  - name: s19',
      '    sources:',
      `      - { kind: cgminer, host: 127.0.0.1, port: ${asic.port} }`,
      '  - name: dead',
      '    sources:',
      `      - { kind: cgminer, host: 127.0.0.1, port: ${refused}, retries: 0 }`,
      '',
    ].join('\n'),
  );
  const c = capture();
  const { results, exitCode } = await runProbe([], { timeoutMs: '500', config: file }, c.io);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(exitCode, 1);
  assert.deepEqual(
    results.map((r) => [r.address, r.ok]),
    [
      ['gpu-rig/xmrig#0', true],
      ['s19/cgminer#0', true],
      ['dead/cgminer#0', false],
    ],
  );
  assert.ok(results[0].snapshots.every((s) => s.rig === 'gpu-rig'));
  assert.ok(results[1].snapshots.some((s) => s.device === 'total'));
  assert.match(c.err.join(''), /dead\/cgminer#0/);
});

test('--config with a bad file fails with file:line:column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-probe-'));
  const file = join(dir, 'rigtune.yaml');
  writeFileSync(file, 'rigs:\n  - name: a\n    sources:\n      - { kind: xmrig, url: 42 }\n');
  await assert.rejects(
    runProbe([], { timeoutMs: '500', config: file }, capture().io),
    (err: Error & { code?: string }) =>
      err.code === 'RT_CONFIG_INVALID' && /rigtune\.yaml:4:/.test(err.message),
  );
  rmSync(dir, { recursive: true, force: true });
});
