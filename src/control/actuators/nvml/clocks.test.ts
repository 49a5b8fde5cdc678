// Locked clocks through the nvml actuator: lock [lowest supported, value], reset on null, and the
// read-back that NVML cannot give directly — checked against the running clock, with its blind spot.

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

const lockCalls = () => fake.calls().filter((c) => /LockedClocks/.test(c));

test('core clock: locks [lowest supported, value] and reads the lock back; null resets and reads null', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    fake.clearLog();
    await a.write(H100, { kind: 'clock_core_max_mhz', value: 1500.4 }, CTX);
    assert.deepEqual(lockCalls(), ['nvmlDeviceSetGpuLockedClocks 0']);
    assert.equal(await a.read(H100, 'clock_core_max_mhz', CTX), 1500);
    await a.write(H100, { kind: 'clock_core_max_mhz', value: null }, CTX);
    assert.deepEqual(lockCalls().slice(1), ['nvmlDeviceResetGpuLockedClocks 0']);
    assert.equal(await a.read(H100, 'clock_core_max_mhz', CTX), null);
  });
});

test('memory clock: locks [lowest supported, value], reads back against the memory clock, resets', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await a.write(RTX, { kind: 'clock_mem_max_mhz', value: 5001 }, CTX);
    assert.equal(await a.read(RTX, 'clock_mem_max_mhz', CTX), 5001);
    // Between table entries: the GPU runs at 5001, under the 9251 ceiling of a 7000 MHz lock.
    await a.write(RTX, { kind: 'clock_mem_max_mhz', value: 7000 }, CTX);
    assert.equal(await a.read(RTX, 'clock_mem_max_mhz', CTX), 7000);
    await a.write(RTX, { kind: 'clock_mem_max_mhz', value: null }, CTX);
    assert.equal(await a.read(RTX, 'clock_mem_max_mhz', CTX), null);
  });
});

test('a lock accepted but ignored on a busy GPU reads back as the clock it runs at, not the lock', async () => {
  await withActuator(fake, controlScript({ h100: 'ignore_gpu_locked_clocks 1\n' }), {}, async (a) => {
    await a.write(H100, { kind: 'clock_core_max_mhz', value: 1500 }, CTX); // NVML says SUCCESS
    assert.equal(await a.read(H100, 'clock_core_max_mhz', CTX), 1980);
  });
  await withActuator(fake, controlScript({ rtx: 'ignore_mem_locked_clocks 1\n' }), {}, async (a) => {
    await a.write(RTX, { kind: 'clock_mem_max_mhz', value: 810 }, CTX);
    assert.equal(await a.read(RTX, 'clock_mem_max_mhz', CTX), 9501);
  });
});

test('blind spot: on an idle GPU under its lock an ignored lock cannot be told from one in force', async () => {
  const idle = controlScript({ h100: 'ignore_gpu_locked_clocks 1\nclock_graphics_mhz 345\n' });
  await withActuator(fake, idle, {}, async (a) => {
    await a.write(H100, { kind: 'clock_core_max_mhz', value: 1500 }, CTX);
    assert.equal(await a.read(H100, 'clock_core_max_mhz', CTX), 1500);
  });
});

test('the graphics clock is observed with NVML_CLOCK_GRAPHICS, not read from a cache', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await a.write(H100, { kind: 'clock_core_max_mhz', value: 1200 }, CTX);
    fake.clearLog();
    await a.read(H100, 'clock_core_max_mhz', CTX);
    await a.read(H100, 'clock_core_max_mhz', CTX);
    assert.deepEqual(fake.calls(), ['nvmlDeviceGetClockInfo 0', 'nvmlDeviceGetClockInfo 0']);
  });
});

test('a lock this driver did not set (another process, an earlier run) cannot be read back: unsupported', async () => {
  await withActuator(fake, controlScript(), {}, async (first) => {
    await first.write(H100, { kind: 'clock_core_max_mhz', value: 1500 }, CTX);
    const second = create({ library_path: fake.libraryPath }, { rig: 'rig-a' });
    try {
      await assert.rejects(second.read(H100, 'clock_core_max_mhz', CTX), {
        code: 'RT_ACTUATOR_UNSUPPORTED',
        message: /no getter for locked clocks.*has not set it/,
      });
      // After its own reset the state is known again.
      await second.write(H100, { kind: 'clock_core_max_mhz', value: null }, CTX);
      assert.equal(await second.read(H100, 'clock_core_max_mhz', CTX), null);
    } finally {
      await second.close();
    }
  });
});

test('a refused lock keeps the previous record; a lock on a lost GPU forgets it', async () => {
  const script = controlScript({ h100: 'set_gpu_locked_clocks_rc 0 !4 !15\n' });
  await withActuator(fake, script, {}, async (a) => {
    await a.write(H100, { kind: 'clock_core_max_mhz', value: 1500 }, CTX);
    await assert.rejects(a.write(H100, { kind: 'clock_core_max_mhz', value: 1200 }, CTX), {
      reason: 'refused',
    });
    assert.equal(await a.read(H100, 'clock_core_max_mhz', CTX), 1500);
    await assert.rejects(a.write(H100, { kind: 'clock_core_max_mhz', value: 1200 }, CTX), {
      reason: 'unreachable',
      code: 'RT_ACTUATOR_UNREACHABLE',
    });
    await assert.rejects(a.read(H100, 'clock_core_max_mhz', CTX), { reason: 'unsupported' });
  });
});
