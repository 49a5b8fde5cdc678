// Runs the real koffi FFI path against the fake libnvidia-ml.so.1 built from test/fakes/nvml/fake-nvml.c:
// enumeration, every field with its unit, NOT_SUPPORTED → null, GPU lost → error, missing library.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../../test/helpers/build-fake-nvml.ts';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import { declareTypes, FIELD_VALUE_LAYOUT, NVML_SYMBOLS } from './bindings.ts';
import { NvmlClient } from './client.ts';
import { CLOCK_EVENT_REASONS, NVML_RETURN } from './constants.ts';

let fake: FakeNvml;
let oldFake: FakeNvml;

before(() => {
  fake = buildFakeNvml();
  oldFake = buildFakeNvml({ old: true });
});

after(() => {
  fake.remove();
  oldFake.remove();
});

async function withClient<T>(lib: FakeNvml, script: string, body: (c: NvmlClient) => Promise<T>): Promise<T> {
  lib.useScript(script);
  const client = await NvmlClient.open({ libraryPath: lib.libraryPath });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

test('koffi struct sizes match the C layouts the fake asserts (nvmlPciInfo_t 68, nvmlMemory_t 24, nvmlUtilization_t 8)', () => {
  const t = declareTypes(koffi);
  assert.equal(koffi.sizeof(t.pciInfo), 68);
  assert.equal(koffi.offsetof(t.pciInfo, 'domain'), 16);
  assert.equal(koffi.offsetof(t.pciInfo, 'busId'), 36);
  assert.equal(koffi.sizeof(t.memory), 24);
  assert.equal(koffi.sizeof(t.utilization), 8);
  assert.equal(FIELD_VALUE_LAYOUT.size, 40);
});

test('enumerates two GPUs with name, UUID and PCI bus id', async () => {
  await withClient(fake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    const { devices, skipped } = await client.listDevices();
    assert.deepEqual(skipped, []);
    assert.equal(devices.length, 2);
    assert.equal(devices[0].index, 0);
    assert.equal(devices[0].name, 'NVIDIA H100 80GB HBM3');
    assert.equal(devices[0].uuid, 'GPU-39762834-1690-1ce6-e823-b57c956e4780');
    assert.equal(devices[0].pciBusId, '00000000:00:06.0');
    assert.deepEqual(devices[0].pci, {
      domain: 0,
      bus: 0,
      device: 6,
      pciDeviceId: 0x233010de,
      pciSubSystemId: 0x16c110de,
    });
    assert.equal(devices[1].name, 'NVIDIA GeForce RTX 3080 Ti');
    assert.equal(devices[1].pciBusId, '00000000:0A:00.0');
    assert.deepEqual(devices[0].issues, []);
  });
});

test('reads every field in NVML units; counters advance per read; NOT_SUPPORTED gives null', async () => {
  await withClient(fake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    const { devices } = await client.listDevices();
    const first = await client.readDevice(devices[0]);
    assert.deepEqual(
      { ...first, issues: undefined },
      {
        powerMw: 72160,
        energyMj: 1000000,
        tempGpuC: 36,
        tempMemC: 39,
        clockSmMhz: 345,
        clockMemMhz: 2619,
        fanPct: null,
        utilGpuPct: 0,
        utilMemPct: 0,
        memUsedBytes: 0,
        memTotalBytes: 85520809984,
        powerLimitMw: 700000,
        powerLimitMinMw: 200000,
        powerLimitMaxMw: 700000,
        powerLimitDefaultMw: 700000,
        enforcedPowerLimitMw: 700000,
        pstate: 0,
        clocksEventReasons: CLOCK_EVENT_REASONS.GPU_IDLE,
        pcieTxKbS: 1025,
        pcieRxKbS: 630,
        issues: undefined,
      },
    );
    assert.deepEqual(first.issues, [
      { call: 'nvmlDeviceGetFanSpeed', code: 3, name: 'NVML_ERROR_NOT_SUPPORTED', message: 'Not Supported' },
    ]);
    await client.readDevice(devices[0]);
    const third = await client.readDevice(devices[0]);
    assert.equal(third.powerMw, 699740);
    assert.equal(third.energyMj, 1000000 + 2 * 72000);
    assert.equal(third.clocksEventReasons, CLOCK_EVENT_REASONS.SW_POWER_CAP);
    assert.equal(third.tempMemC, 49);
    const fourth = await client.readDevice(devices[0]);
    assert.equal(fourth.energyMj, 1000000 + 3 * 72000, 'the counter keeps advancing');
    assert.equal(fourth.powerMw, 699740, 'the last scripted value repeats');

    const gddr = await client.readDevice(devices[1]);
    assert.equal(gddr.energyMj, null);
    assert.equal(gddr.tempMemC, null);
    assert.equal(gddr.fanPct, 71);
    assert.equal(gddr.pstate, 2);
    assert.deepEqual(
      gddr.issues.map((i) => `${i.call} ${i.name}`),
      [
        'nvmlDeviceGetTotalEnergyConsumption NVML_ERROR_NOT_SUPPORTED',
        'nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP) NVML_ERROR_NOT_SUPPORTED',
      ],
    );
  });
});

test('a GPU that falls off the bus fails with SourceError status naming the device', async () => {
  const script = [
    'device',
    'name G',
    'pci 0 0x41 0',
    'power_mw 100 !15',
    'temp_gpu_c 50',
    'device',
    'pci 0 0x42 0',
  ].join('\n');
  await withClient(fake, script, async (client) => {
    const { devices } = await client.listDevices();
    assert.equal((await client.readDevice(devices[0])).powerMw, 100);
    await assert.rejects(client.readDevice(devices[0]), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.kind, 'status');
      assert.equal(err.transient, false);
      assert.equal(err.where.device, '00000000:41:00.0');
      assert.match(err.message, /GPU 0 \(00000000:41:00\.0\).*GPU is lost.*NVML_ERROR_GPU_IS_LOST/);
      return true;
    });
    const other = await client.readDevice(devices[1]);
    assert.equal(other.powerMw, null, 'the other GPU still reads (its values unsupported, not lost)');
  });
});

test('an unknown non-fatal code (NO_PERMISSION) gives null plus an issue, never a made-up value', async () => {
  await withClient(fake, 'device\npci 0 1 0\npower_mw !4\nclock_sm_mhz 1500', async (client) => {
    const { devices } = await client.listDevices();
    const r = await client.readDevice(devices[0]);
    assert.equal(r.powerMw, null);
    assert.equal(r.clockSmMhz, 1500);
    assert.ok(
      r.issues.some(
        (i) => i.code === NVML_RETURN.ERROR_NO_PERMISSION && i.call === 'nvmlDeviceGetPowerUsage',
      ),
    );
  });
});

test('a handle NVML refuses is skipped with its reason; identity calls unsupported give nulls', async () => {
  await withClient(fake, 'device\nhandle !4\ndevice\npower_mw 5', async (client) => {
    const { devices, skipped } = await client.listDevices();
    assert.equal(devices.length, 1);
    assert.equal(devices[0].index, 1);
    assert.equal(devices[0].name, null);
    assert.equal(devices[0].pciBusId, null);
    assert.equal(skipped[0].index, 0);
    assert.equal(skipped[0].issue.name, 'NVML_ERROR_NO_PERMISSION');
    assert.equal(skipped[0].fatal, false);
  });
});

test('a GPU already lost at enumeration is skipped as fatal; the others enumerate', async () => {
  await withClient(fake, 'device\nhandle !15\ndevice\npci 0 2 0\ndevice\nname !15', async (client) => {
    const { devices, skipped } = await client.listDevices();
    assert.deepEqual(
      devices.map((d) => d.index),
      [1],
    );
    assert.deepEqual(
      skipped.map((s) => [s.index, s.issue.name, s.fatal]),
      [
        [0, 'NVML_ERROR_GPU_IS_LOST', true],
        [2, 'NVML_ERROR_GPU_IS_LOST', true],
      ],
    );
  });
});

test('pcieThroughput false skips the two 20 ms PCIe samples', async () => {
  await withClient(fake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    const { devices } = await client.listDevices();
    fake.clearLog();
    const r = await client.readDevice(devices[0], { pcieThroughput: false });
    assert.equal(r.pcieTxKbS, null);
    assert.equal(r.pcieRxKbS, null);
    assert.ok(!fake.calls().some((c) => c.startsWith('nvmlDeviceGetPcieThroughput')));
  });
});

test('an old driver without the newer symbols: fallback to ClocksThrottleReasons, the rest null', async () => {
  await withClient(oldFake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    const { devices } = await client.listDevices();
    const r = await client.readDevice(devices[0]);
    assert.equal(r.clocksEventReasons, CLOCK_EVENT_REASONS.GPU_IDLE);
    assert.equal(r.energyMj, null);
    assert.equal(r.tempMemC, null);
    assert.equal(r.powerMw, 72160);
    const missing = r.issues
      .filter((i) => i.code === NVML_RETURN.ERROR_FUNCTION_NOT_FOUND)
      .map((i) => i.call);
    assert.deepEqual(missing, [
      'nvmlDeviceGetTotalEnergyConsumption',
      'nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP)',
    ]);
    assert.ok(oldFake.calls().includes('nvmlDeviceGetCurrentClocksThrottleReasons 0'));
  });
});

test('system versions: the driver and NVML versions as the library reports them', async () => {
  await withClient(fake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    fake.clearLog();
    assert.deepEqual(await client.systemVersions(), {
      driverVersion: '580.159.04',
      nvmlVersion: '13.580.159.04',
      issues: [],
    });
    assert.deepEqual(fake.calls(), ['nvmlSystemGetDriverVersion', 'nvmlSystemGetNVMLVersion']);
  });
});

test('system versions NVML cannot give are null with an issue each, never made up', async () => {
  await withClient(fake, 'driver_version !999\n', async (client) => {
    const v = await client.systemVersions();
    assert.equal(v.driverVersion, null);
    assert.equal(v.nvmlVersion, null);
    assert.deepEqual(
      v.issues.map((i) => [i.call, i.code]),
      [
        ['nvmlSystemGetDriverVersion', 999],
        ['nvmlSystemGetNVMLVersion', NVML_RETURN.ERROR_NOT_SUPPORTED],
      ],
    );
  });
});

test('the library missing: SourceError unsupported naming the path tried', async () => {
  const path = join(fake.dir, 'no-such-dir', 'libnvidia-ml.so.1');
  await assert.rejects(NvmlClient.open({ libraryPath: path }), (err: unknown) => {
    assert.ok(isRigtuneError(err, 'RT_SOURCE_UNSUPPORTED'));
    assert.ok(err.message.includes(path), err.message);
    assert.match(err.message, /RIGTUNE_NVML_LIB/);
    return true;
  });
});

test('a library without NVML symbols is refused as unsupported', async () => {
  await assert.rejects(
    NvmlClient.open({ libraryPath: 'libc.so.6' }),
    /not a usable NVML library.*nvmlInit_v2/,
  );
});

test('nvmlInit_v2 failures: DRIVER_NOT_LOADED is unsupported, others are status', async () => {
  fake.useScript('init_rc 9');
  await assert.rejects(NvmlClient.open({ libraryPath: fake.libraryPath }), (err: unknown) => {
    assert.ok(err instanceof SourceError && err.kind === 'unsupported');
    assert.match(err.message, /Driver Not Loaded.*NVML_ERROR_DRIVER_NOT_LOADED/);
    return true;
  });
  fake.useScript('init_rc 999');
  await assert.rejects(NvmlClient.open({ libraryPath: fake.libraryPath }), {
    name: 'SourceError',
    code: 'RT_SOURCE_STATUS',
  });
});

test('close() calls nvmlShutdown once and later calls fail clearly', async () => {
  fake.useScript(fakeNvmlScript('two-gpus.txt'));
  fake.clearLog();
  const client = await NvmlClient.open({ libraryPath: fake.libraryPath });
  const { devices } = await client.listDevices();
  await client.close();
  await client.close();
  assert.equal(fake.calls().filter((c) => c === 'nvmlShutdown').length, 1);
  assert.equal(fake.calls().filter((c) => c === 'nvmlInit_v2').length, 1);
  await assert.rejects(client.readDevice(devices[0]), /closed/);
});

test('an aborted signal stops the read with SourceError timeout', async () => {
  await withClient(fake, fakeNvmlScript('two-gpus.txt'), async (client) => {
    const { devices } = await client.listDevices();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.readDevice(devices[0], { signal: controller.signal }), {
      code: 'RT_SOURCE_TIMEOUT',
    });
  });
});

test('read-only: no nvmlDeviceSet* or other mutating symbol is bound or named in protocols/nvml', () => {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  for (const name of Object.keys(NVML_SYMBOLS))
    assert.match(name, /^nvml(Init_v2|Shutdown|ErrorString|DeviceGet|SystemGet)/);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(text, /nvml(Device|Unit|System)(Set|Reset|Clear)/, file);
  }
});
