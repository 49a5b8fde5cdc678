// The nvml actuator over koffi and the fake library: devices named as the nvml source names them,
// limits read from each GPU, power limit in W ↔ mW with read-back, bounds, selection, lifecycle.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFakeNvml, type FakeNvml } from '../../../../test/helpers/build-fake-nvml.ts';
import { CTX, controlScript, H100, RTX, withActuator } from '../../../../test/helpers/nvml-actuator.ts';
import { create } from './index.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

const setCalls = () => fake.calls().filter((c) => /^nvmlDevice(Set|Reset)/.test(c));

test('describe: both GPUs by canonical PCI bus id, with the limits each GPU states', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    const devices = await a.describe(CTX);
    assert.deepEqual(devices, [
      {
        rig: 'rig-a',
        device: H100,
        model: 'NVIDIA H100 80GB HBM3',
        limits: {
          power_limit_w: { min: 200, max: 700, step: 1, default: 700 },
          clock_core_max_mhz: { min: 345, max: 1980, default: null, step: 15 },
          // one HBM3 clock (2619 MHz): nothing to lock; no fan: passively cooled
        },
      },
      {
        rig: 'rig-a',
        device: RTX,
        model: 'NVIDIA GeForce RTX 3080 Ti',
        limits: {
          power_limit_w: { min: 100, max: 400, step: 1, default: 350 },
          clock_core_max_mhz: { min: 210, max: 2100, default: null, step: 15 },
          clock_mem_max_mhz: { min: 405, max: 9501, default: null },
          fan_pct: { min: 30, max: 100, step: 1, default: null },
        },
      },
    ]);
  });
});

test('power limit: watts become milliwatts, read back from the GPU; null restores the default', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    assert.equal(await a.read(RTX, 'power_limit_w', CTX), 300);
    fake.clearLog();
    await a.write(RTX, { kind: 'power_limit_w', value: 287.5 }, CTX);
    assert.deepEqual(setCalls(), ['nvmlDeviceSetPowerManagementLimit 1']);
    assert.equal(await a.read(RTX, 'power_limit_w', CTX), 287.5);
    await a.write(RTX, { kind: 'power_limit_w', value: null }, CTX);
    assert.equal(await a.read(RTX, 'power_limit_w', CTX), 350);
    assert.equal(await a.read(H100, 'power_limit_w', CTX), 700);
  });
});

test('a value outside the GPU limits is out_of_bounds before any NVML set call', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await a.describe(CTX);
    fake.clearLog();
    for (const [kind, value] of [
      ['power_limit_w', 99.9],
      ['power_limit_w', 400.5],
      ['power_limit_w', Number.NaN],
      ['clock_core_max_mhz', 2115],
      ['clock_mem_max_mhz', 400],
      ['fan_pct', 29],
      ['fan_pct', 101],
    ] as const)
      await assert.rejects(a.write(RTX, { kind, value }, CTX), {
        code: 'RT_ACTUATOR_BOUNDS',
        reason: 'out_of_bounds',
      });
    assert.deepEqual(setCalls(), []);
    assert.equal(await a.read(RTX, 'power_limit_w', CTX), 300);
  });
});

test('a write before describe reads the limits itself', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await assert.rejects(a.write(H100, { kind: 'power_limit_w', value: 150 }, CTX), {
      reason: 'out_of_bounds',
    });
    await a.write(H100, { kind: 'power_limit_w', value: 450 }, CTX);
    assert.equal(await a.read(H100, 'power_limit_w', CTX), 450);
  });
});

test('options narrow the GPUs (bus id in any spelling, or UUID) and the set-points offered', async () => {
  await withActuator(fake, controlScript(), { devices: ['0A:00.0'], setpoints: ['fan_pct'] }, async (a) => {
    const devices = await a.describe(CTX);
    assert.deepEqual(
      devices.map((d) => [d.device, Object.keys(d.limits)]),
      [[RTX, ['fan_pct']]],
    );
    await assert.rejects(a.write(RTX, { kind: 'power_limit_w', value: 250 }, CTX), { reason: 'unsupported' });
    await assert.rejects(a.read(H100, 'power_limit_w', CTX), {
      reason: 'unsupported',
      message: /No selected GPU/,
    });
  });
  const uuid = 'gpu-39762834-1690-1ce6-e823-b57c956e4780';
  await withActuator(fake, controlScript(), { devices: [uuid] }, async (a) => {
    assert.deepEqual(
      (await a.describe(CTX)).map((d) => d.device),
      [H100],
    );
  });
});

test('set-points the GPU lacks or NVML has no call for are unsupported', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    for (const kind of ['clock_mem_max_mhz', 'fan_pct', 'profile_step'] as const)
      await assert.rejects(a.write(H100, { kind, value: null }, CTX), {
        code: 'RT_ACTUATOR_UNSUPPORTED',
        message: new RegExp(`${H100} offers no ${kind} control`),
      });
  });
});

test('no GPU answers to a name the source would not give', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await assert.rejects(a.read('gpu0', 'power_limit_w', CTX), { reason: 'unsupported' });
    await assert.rejects(a.read('00000000:00:06.0', 'power_limit_w', CTX), { reason: 'unsupported' });
  });
});

test('NVML opens lazily, once, and close() shuts it down; later calls are unreachable', async () => {
  fake.useScript(controlScript());
  fake.clearLog();
  const a = create({ library_path: fake.libraryPath }, { rig: 'rig-a' });
  assert.deepEqual(fake.calls(), []);
  await a.describe(CTX);
  await a.read(H100, 'power_limit_w', CTX);
  await a.close();
  await a.close();
  assert.equal(fake.calls().filter((c) => c === 'nvmlInit_v2').length, 1);
  assert.equal(fake.calls().filter((c) => c === 'nvmlShutdown').length, 1);
  await assert.rejects(a.read(H100, 'power_limit_w', CTX), { reason: 'unreachable', message: /closed/ });
});

test('an aborted context stops before any NVML call', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    const controller = new AbortController();
    controller.abort();
    fake.clearLog();
    await assert.rejects(
      a.write(H100, { kind: 'power_limit_w', value: 300 }, { ...CTX, signal: controller.signal }),
      {
        reason: 'unreachable',
        message: /aborted/,
      },
    );
    assert.deepEqual(fake.calls(), []);
  });
});

test('a missing library is unsupported, naming the path; the next call tries again', async () => {
  const a = create({ library_path: '/nonexistent/libnvidia-ml.so.1' }, { rig: 'rig-a' });
  await assert.rejects(a.describe(CTX), { reason: 'unsupported', message: /nonexistent\/libnvidia-ml/ });
  await assert.rejects(a.describe(CTX), { reason: 'unsupported' });
  await a.close();
});
