// The NVML check against the fake libnvidia-ml.so.1 (the real koffi path, no GPU needed) and against
// a library that is not there: GPU count, models and driver version (NVML's, else the kernel module's
// file), or the plain "no driver" line.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../../test/helpers/build-fake-nvml.ts';
import { checkNvml, readDriverVersion } from './nvml.ts';

let nvml: FakeNvml;
const dir = mkdtempSync(join(tmpdir(), 'rigtune-doctor-nvml-'));
const versionFile = join(dir, 'version');
const MISSING = join(dir, 'no-such', 'libnvidia-ml.so.1');

before(() => {
  nvml = buildFakeNvml();
  writeFileSync(
    versionFile,
    'NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.65.06  Sun Jul 27 07:09:10 UTC 2025\n' +
      'GCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n',
  );
});
after(() => {
  nvml.remove();
  rmSync(dir, { recursive: true, force: true });
});

test('with the fake library: ok, two GPUs with their models, and the driver version NVML reports', async () => {
  nvml.useScript(fakeNvmlScript('two-gpus.txt'));
  const r = await checkNvml({
    env: { RIGTUNE_NVML_LIB: nvml.libraryPath },
    required: true,
    driverVersionFile: versionFile,
  });
  assert.equal(r.status, 'ok', r.message);
  assert.match(
    r.message,
    /^NVML loads from .*libnvidia-ml\.so\.1: 2 GPUs \(NVIDIA H100 80GB HBM3, .+\), driver 580\.159\.04$/,
  );
  assert.equal(r.details?.devices, 2);
  assert.equal(r.details?.driver, '580.159.04');
  assert.equal(r.details?.driver_source, 'nvml');
  assert.equal(r.details?.nvml_version, '13.580.159.04');
});

test('NVML without a driver version: the kernel module file gives it; neither: unknown', async () => {
  const noVersion = fakeNvmlScript('two-gpus.txt').replace(/^(driver|nvml)_version .*$/gm, '');
  nvml.useScript(noVersion);
  const r = await checkNvml({
    env: {},
    libraryPath: nvml.libraryPath,
    required: true,
    driverVersionFile: versionFile,
  });
  assert.equal(r.status, 'ok', r.message);
  assert.match(r.message, /, driver 580\.65\.06$/);
  assert.equal(r.details?.driver_source, 'proc');
  assert.equal(r.details?.nvml_version, null);
  nvml.useScript(noVersion);
  const unknown = await checkNvml({
    env: {},
    libraryPath: nvml.libraryPath,
    required: true,
    driverVersionFile: MISSING,
  });
  assert.match(unknown.message, /, driver version unknown$/);
  assert.equal(unknown.details?.driver, null);
  assert.equal(unknown.details?.driver_source, null);
});

test('a driver that sees no GPU is a warning', async () => {
  nvml.useScript('# no device\n');
  const r = await checkNvml({
    env: {},
    libraryPath: nvml.libraryPath,
    required: false,
    driverVersionFile: versionFile,
  });
  assert.equal(r.status, 'warn');
  assert.match(r.message, /sees no GPU/);
});

test('a library that fails to initialise says so', async () => {
  nvml.useScript('init_rc 9\n');
  const r = await checkNvml({
    env: {},
    libraryPath: nvml.libraryPath,
    required: true,
    driverVersionFile: versionFile,
  });
  assert.notEqual(r.status, 'ok');
  assert.match(r.message, /GPU sources will not work/);
});

test('without the library: the plain no-driver sentence, a warning unless an nvml source needs it', async () => {
  const optional = await checkNvml({
    env: { RIGTUNE_NVML_LIB: MISSING },
    required: false,
    driverVersionFile: MISSING,
  });
  assert.equal(optional.status, 'warn');
  assert.equal(
    optional.message,
    `no NVIDIA driver found (${MISSING} not loadable): GPU sources will not work`,
  );
  assert.equal(optional.details?.driver, null);
  const required = await checkNvml({
    env: {},
    libraryPath: MISSING,
    required: true,
    driverVersionFile: MISSING,
  });
  assert.equal(required.status, 'fail');
  assert.match(required.message, /^no NVIDIA driver found .* set library_path \/ RIGTUNE_NVML_LIB$/);
});

test('the driver version is read from the NVRM line, or null', async () => {
  assert.equal(await readDriverVersion(versionFile), '580.65.06');
  assert.equal(await readDriverVersion(MISSING), null);
});
