// The nvml source over the real koffi path and the fake libnvidia-ml.so.1: one snapshot per GPU with
// units converted, raw fields, NOT_SUPPORTED → null, a lost GPU, a missing library, example.yaml.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../../test/helpers/build-fake-nvml.ts';
import { pollCollector } from '../../../test/helpers/poll-collector.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import { create, kind, NVML_LIBRARY_ENV, optionsSchema } from './index.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

const H100 = '0000:00:06.0';
const RTX = '0000:0a:00.0';

test('a poll emits one snapshot per GPU, keyed by canonical PCI bus id, in snapshot units', async () => {
  fake.useScript(fakeNvmlScript('two-gpus.txt'));
  const warnings: string[] = [];
  const source = create(
    { library_path: fake.libraryPath },
    { rig: 'rig-a', warn: (m) => void warnings.push(m) },
  );
  assert.equal(source.kind, kind);
  const ctx = pollCollector(1000);
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => s.device),
    [H100, RTX],
  );
  assertSnapshot(
    ctx.device(H100),
    { ts: 1000, rig: 'rig-a', device: H100 },
    {
      power_w: 72.16,
      energy_j: 1000,
      temp_core_c: 36,
      temp_mem_c: 39,
      clock_core_mhz: 345,
      clock_mem_mhz: 2619,
      util_pct: 0,
      power_limit_w: 700,
      throttle_flags: 0x1,
    },
  ); // fan_pct null: the H100 has no fan (NOT_SUPPORTED); hash rates null: NVML has none
  assertSnapshot(
    ctx.device(RTX),
    { ts: 1000, rig: 'rig-a', device: RTX },
    {
      power_w: 301.25,
      temp_core_c: 63,
      clock_core_mhz: 1710,
      clock_mem_mhz: 9501,
      fan_pct: 71,
      util_pct: 100,
      power_limit_w: 300,
      throttle_flags: 0x4,
    },
  );
  assert.equal(ctx.rawOf(H100, 'pstate'), 'P0');
  assert.equal(ctx.rawOf(RTX, 'pstate'), 'P2');
  assert.equal(ctx.rawOf(H100, 'memory_total_mib'), 81559);
  assert.equal(ctx.rawOf(H100, 'memory_used_mib'), 0);
  assert.equal(ctx.rawOf(RTX, 'memory_used_mib'), 5120);
  assert.equal(ctx.rawOf(H100, 'util_mem_pct'), 0);
  assert.equal(ctx.rawOf(H100, 'pcie_tx_kb_s'), 1025);
  assert.equal(ctx.rawOf(H100, 'pcie_rx_kb_s'), 630);
  assert.equal(ctx.rawOf(RTX, 'power_limit_min_w'), 100);
  assert.equal(ctx.rawOf(RTX, 'power_limit_max_w'), 400);
  assert.equal(ctx.rawOf(RTX, 'power_limit_default_w'), 350);
  assert.equal(ctx.rawOf(RTX, 'power_limit_requested_w'), 300);
  assert.deepEqual(source.devices?.(), [
    {
      device: H100,
      model: 'NVIDIA H100 80GB HBM3',
      pci_bus_id: H100,
      uuid: 'GPU-39762834-1690-1ce6-e823-b57c956e4780',
    },
    {
      device: RTX,
      model: 'NVIDIA GeForce RTX 3080 Ti',
      pci_bus_id: RTX,
      uuid: 'GPU-00000000-1111-2222-3333-444444444444',
    },
  ]);
  assert.deepEqual(warnings, [], 'NOT_SUPPORTED is normal, not a warning');

  const next = pollCollector(2000);
  await source.poll(next);
  assert.equal(next.device(H100).energy_j, 1072, 'the energy counter is emitted raw, in J');
  assert.equal(next.device(H100).power_w, 99.12);
  await source.close();
  await source.close();
});

test('the devices option selects GPUs by bus id spelling or UUID and warns about unknown ones', async () => {
  fake.useScript(fakeNvmlScript('two-gpus.txt'));
  const warnings: string[] = [];
  const source = create(
    { library_path: fake.libraryPath, devices: ['00000000:0A:00.0', 'GPU-NOT-HERE'] },
    { rig: 'r', warn: (m) => void warnings.push(m) },
  );
  const ctx = pollCollector();
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => s.device),
    [RTX],
  );
  await source.poll(pollCollector());
  assert.deepEqual(warnings, ['Configured GPU GPU-NOT-HERE was not found by NVML.'], 'warned once');
  await source.close();
});

test('a lost GPU: the healthy one is emitted, then SourceError status names the lost one', async () => {
  fake.useScript('device\npci 0 1 0\npower_mw 100 !15\ndevice\npci 0 2 0\npower_mw 200');
  const source = create({ library_path: fake.libraryPath }, { rig: 'r' });
  const first = pollCollector();
  await source.poll(first);
  assert.equal(first.snapshots.length, 2);
  const second = pollCollector();
  await assert.rejects(source.poll(second), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.kind, 'status');
    assert.equal(err.where.device, '0000:01:00.0');
    assert.match(err.message, /GPU is lost/);
    return true;
  });
  assert.deepEqual(
    second.snapshots.map((s) => [s.device, s.power_w]),
    [['0000:02:00.0', 0.2]],
  );
  await source.close();
});

test('a GPU already lost at enumeration: the others are emitted, then the poll fails naming it', async () => {
  fake.useScript('device\nhandle !15\ndevice\npci 0 2 0\npower_mw 5000');
  const source = create({ library_path: fake.libraryPath }, { rig: 'r' });
  const ctx = pollCollector();
  await assert.rejects(source.poll(ctx), { code: 'RT_SOURCE_STATUS', message: /GPU 0: .*GPU is lost/ });
  assert.deepEqual(
    ctx.snapshots.map((s) => [s.device, s.power_w]),
    [['0000:02:00.0', 5]],
  );
  await source.close();
});

test('every GPU lost: NVML is shut down and initialised again at the next poll (driver reload)', async () => {
  fake.useScript('device\npci 0 1 0\npower_mw !15');
  fake.clearLog();
  const source = create({ library_path: fake.libraryPath }, { rig: 'r' });
  await assert.rejects(source.poll(pollCollector()), { code: 'RT_SOURCE_STATUS' });
  assert.deepEqual(
    fake.calls().filter((c) => c.startsWith('nvmlInit') || c.startsWith('nvmlShutdown')),
    ['nvmlInit_v2', 'nvmlShutdown'],
  );
  await assert.rejects(source.poll(pollCollector()), { code: 'RT_SOURCE_STATUS' });
  assert.equal(fake.calls().filter((c) => c === 'nvmlInit_v2').length, 2);
  await source.close();
});

test('the library path comes from RIGTUNE_NVML_LIB when the option is unset; missing → unsupported', async () => {
  fake.useScript(fakeNvmlScript('two-gpus.txt'));
  const viaEnv = create({}, { rig: 'r', env: { [NVML_LIBRARY_ENV]: fake.libraryPath } });
  await viaEnv.poll(pollCollector());
  await viaEnv.close();

  const missing = join(fake.dir, 'absent', 'libnvidia-ml.so.1');
  const source = create({}, { rig: 'r', env: { [NVML_LIBRARY_ENV]: missing } });
  for (let i = 0; i < 2; i += 1)
    await assert.rejects(source.poll(pollCollector()), (err: unknown) => {
      assert.ok(isRigtuneError(err, 'RT_SOURCE_UNSUPPORTED'));
      assert.ok(err.message.includes(missing));
      return true;
    });
  await source.close();
  await assert.rejects(source.poll(pollCollector()), /closed/);
});

test('no GPU at all is a clear unsupported error, not an empty success', async () => {
  fake.useScript('# no device lines');
  const source = create({ library_path: fake.libraryPath }, { rig: 'r' });
  await assert.rejects(source.poll(pollCollector()), /NVML found no GPU to read/);
  await source.close();
});

test('options: strict schema with defaults; example.yaml validates', () => {
  const parsed = optionsSchema.parse({});
  assert.deepEqual(parsed, { interval_ms: 1000, pcie_throughput: true });
  assert.equal(optionsSchema.safeParse({ libary_path: 'x' }).success, false, 'unknown keys are errors');
  assert.throws(() => create({ interval_ms: 5 }, { rig: 'r' }), { code: 'RT_CONFIG_INVALID' });
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const result = optionsSchema.safeParse(parse(text));
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.equal(result.data.library_path, 'libnvidia-ml.so.1');
});
