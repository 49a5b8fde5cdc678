// Faults of a real NVML write path, scripted in the fake: no permission, not supported, invalid
// argument, accepted-but-ignored, a GPU that falls off the bus (and comes back), an old driver.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFakeNvml, type FakeNvml } from '../../../../test/helpers/build-fake-nvml.ts';
import { CTX, controlScript, H100, RTX, withActuator } from '../../../../test/helpers/nvml-actuator.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

test('NO_PERMISSION is refused, with the NVML code and how to get the right', async () => {
  await withActuator(fake, controlScript({ h100: 'set_power_limit_rc !4\n' }), {}, async (a) => {
    await assert.rejects(a.write(H100, { kind: 'power_limit_w', value: 300 }, CTX), (err: unknown) => {
      assert.ok(err instanceof Error && 'reason' in err && 'where' in err);
      assert.equal(err.reason, 'refused');
      assert.match(
        err.message,
        /^Setting the power limit of 0000:00:06\.0 to 300000 mW failed: Insufficient/,
      );
      assert.match(
        err.message,
        /\[NVML_ERROR_NO_PERMISSION\]; NVML set calls need root\/admin rights: run as root/,
      );
      assert.deepEqual(err.where, {
        rig: 'rig-a',
        device: H100,
        field: 'power_limit_w',
        command: 'nvmlDeviceSetPowerManagementLimit',
      });
      return true;
    });
    assert.equal(await a.read(H100, 'power_limit_w', CTX), 700);
  });
});

test('NOT_SUPPORTED is unsupported; INVALID_ARGUMENT from NVML is out_of_bounds', async () => {
  const script = controlScript({ h100: 'set_gpu_locked_clocks_rc !3\n', rtx: 'set_power_limit_rc !2\n' });
  await withActuator(fake, script, {}, async (a) => {
    await assert.rejects(a.write(H100, { kind: 'clock_core_max_mhz', value: 1500 }, CTX), {
      code: 'RT_ACTUATOR_UNSUPPORTED',
      message: /NVML_ERROR_NOT_SUPPORTED/,
    });
    await assert.rejects(a.write(RTX, { kind: 'power_limit_w', value: 250 }, CTX), {
      code: 'RT_ACTUATOR_BOUNDS',
      message: /NVML_ERROR_INVALID_ARGUMENT/,
    });
  });
});

test('a power limit accepted but ignored reads back the old limit (the control layer sees not applied)', async () => {
  await withActuator(fake, controlScript({ rtx: 'ignore_power_limit 1\n' }), {}, async (a) => {
    await a.write(RTX, { kind: 'power_limit_w', value: 250 }, CTX);
    assert.equal(await a.read(RTX, 'power_limit_w', CTX), 300);
  });
});

test('a GPU that falls off the bus is unreachable, left out of describe, and used again once back', async () => {
  await withActuator(fake, controlScript({ h100: 'lose_after_sets 1\n' }), {}, async (a) => {
    await a.write(H100, { kind: 'power_limit_w', value: 400 }, CTX);
    await assert.rejects(a.read(H100, 'power_limit_w', CTX), {
      code: 'RT_ACTUATOR_UNREACHABLE',
      message: /GPU is lost \[NVML_ERROR_GPU_IS_LOST\]/,
    });
    // NVML is shut down and initialised again at the next call; the fake reloads its script there,
    // the way a GPU reset brings the board back at its defaults.
    assert.equal(await a.read(H100, 'power_limit_w', CTX), 700);
  });
  await withActuator(fake, controlScript({ h100: 'lose_after_sets 1\n' }), {}, async (a) => {
    await a.write(H100, { kind: 'power_limit_w', value: 400 }, CTX);
    const devices = await a.describe(CTX);
    assert.deepEqual(
      devices.map((d) => d.device),
      [RTX],
    );
  });
});

test('a GPU already lost at enumeration is unreachable, not unknown', async () => {
  await withActuator(fake, controlScript({ h100: 'handle !15\n' }), {}, async (a) => {
    assert.deepEqual(
      (await a.describe(CTX)).map((d) => d.device),
      [RTX],
    );
    await assert.rejects(a.write(H100, { kind: 'power_limit_w', value: 400 }, CTX), {
      reason: 'unreachable',
      message: /1 GPU\(s\) lost/,
    });
  });
});

test('an old driver without the newer calls offers no memory lock and no fan, and says so', async () => {
  const old = buildFakeNvml({ old: true });
  try {
    await withActuator(old, controlScript(), {}, async (a) => {
      const [, rtx] = await a.describe(CTX);
      assert.deepEqual(Object.keys(rtx.limits), ['power_limit_w', 'clock_core_max_mhz']);
      await assert.rejects(a.write(RTX, { kind: 'fan_pct', value: 60 }, CTX), { reason: 'unsupported' });
      await a.write(RTX, { kind: 'clock_core_max_mhz', value: 1500 }, CTX);
      assert.equal(await a.read(RTX, 'clock_core_max_mhz', CTX), 1500);
    });
  } finally {
    old.remove();
  }
});

test('a GPU whose power limit NVML cannot read offers no power limit', async () => {
  await withActuator(fake, controlScript({ h100: 'power_limit_min_mw !3\n' }), {}, async (a) => {
    const [h100] = await a.describe(CTX);
    assert.equal(h100.limits.power_limit_w, undefined);
    await assert.rejects(a.write(H100, { kind: 'power_limit_w', value: 400 }, CTX), {
      reason: 'unsupported',
    });
  });
});

test('a GPU lost while its limits are read is unreachable for a write and left out of describe', async () => {
  await withActuator(fake, controlScript({ h100: 'power_limit_min_mw !15\n' }), {}, async (a) => {
    await assert.rejects(a.write(H100, { kind: 'power_limit_w', value: 400 }, CTX), {
      reason: 'unreachable',
      message: /power-limit range of 0000:00:06\.0 failed: GPU is lost/,
    });
    assert.deepEqual(
      (await a.describe(CTX)).map((d) => d.device),
      [RTX],
    );
  });
});
