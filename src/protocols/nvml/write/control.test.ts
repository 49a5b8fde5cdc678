// The NVML write side over the real koffi path against the fake library: each set call changes the
// fake's state as read back by the getters, limits give INVALID_ARGUMENT, faults come back as codes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFakeNvml, type FakeNvml, fakeNvmlScript } from '../../../../test/helpers/build-fake-nvml.ts';
import { NVML_RETURN } from '../constants.ts';
import type { NvmlDevice } from '../types.ts';
import { NVML_FAN_POLICY, NvmlControl, type NvmlOutcome } from './control.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

async function withControl(
  script: string,
  body: (c: NvmlControl, devices: readonly NvmlDevice[]) => Promise<void>,
): Promise<void> {
  fake.useScript(script);
  const control = await NvmlControl.open({ libraryPath: fake.libraryPath });
  try {
    await body(control, (await control.listDevices()).devices);
  } finally {
    await control.close();
  }
}

function value<T>(r: NvmlOutcome<T>): T {
  assert.ok(r.ok, r.ok ? '' : `${r.issue.call}: ${r.issue.name}`);
  return r.value;
}

function code(r: NvmlOutcome<unknown>): number {
  assert.ok(!r.ok, 'expected a failure');
  return r.issue.code;
}

const SCRIPT = fakeNvmlScript('control-gpus.txt');

test('power limit: set in mW, read back, constraints and default; outside the range → INVALID_ARGUMENT', async () => {
  await withControl(SCRIPT, async (c, [h100]) => {
    assert.deepEqual(value(await c.powerLimitConstraintsMw(h100)), [200000, 700000]);
    assert.equal(value(await c.powerLimitDefaultMw(h100)), 700000);
    assert.equal(value(await c.powerLimitMw(h100)), 700000);
    value(await c.setPowerLimitMw(h100, 450500));
    assert.equal(value(await c.powerLimitMw(h100)), 450500);
    assert.equal(code(await c.setPowerLimitMw(h100, 199999)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    assert.equal(code(await c.setPowerLimitMw(h100, 700001)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    assert.equal(value(await c.powerLimitMw(h100)), 450500);
  });
});

test('clock tables: memory clocks in NVML order, graphics clocks per memory clock, NOT_FOUND otherwise', async () => {
  await withControl(SCRIPT, async (c, [h100, rtx]) => {
    assert.deepEqual(value(await c.supportedMemoryClocksMhz(h100)), [2619]);
    const graphics = value(await c.supportedGraphicsClocksMhz(h100, 2619));
    assert.equal(graphics.length, 110);
    assert.deepEqual([graphics[0], graphics[1], graphics.at(-1)], [1980, 1965, 345]);
    assert.deepEqual(value(await c.supportedMemoryClocksMhz(rtx)), [9501, 9251, 5001, 810, 405]);
    assert.equal(code(await c.supportedGraphicsClocksMhz(rtx, 1234)), NVML_RETURN.ERROR_NOT_FOUND);
  });
});

test('a table larger than the first buffer is asked for again with the size NVML reports', async () => {
  const script = 'device\npci 0 1 0\nsupported_mem_clocks 5000\ngraphics_clocks 100 1995 5\n';
  await withControl(script, async (c, [gpu]) => {
    const table = value(await c.supportedGraphicsClocksMhz(gpu, 5000));
    assert.equal(table.length, 380);
    assert.deepEqual([table[0], table.at(-1)], [1995, 100]);
  });
});

test('locked clocks cap the current clock until reset; inverted or out-of-table ranges are refused', async () => {
  await withControl(SCRIPT, async (c, [h100, rtx]) => {
    assert.equal(value(await c.clockMhz(h100, 'graphics')), 1980);
    value(await c.setGpuLockedClocks(h100, 345, 1500));
    assert.equal(value(await c.clockMhz(h100, 'graphics')), 1500);
    value(await c.resetGpuLockedClocks(h100));
    assert.equal(value(await c.clockMhz(h100, 'graphics')), 1980);
    for (const [lo, hi] of [
      [1500, 1400],
      [300, 1500],
      [345, 1995],
    ])
      assert.equal(code(await c.setGpuLockedClocks(h100, lo, hi)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    value(await c.setMemoryLockedClocks(rtx, 405, 5001));
    assert.equal(value(await c.clockMhz(rtx, 'mem')), 5001);
    assert.equal(code(await c.setMemoryLockedClocks(rtx, 405, 9999)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    value(await c.resetMemoryLockedClocks(rtx));
    assert.equal(value(await c.clockMhz(rtx, 'mem')), 9501);
  });
});

test('fans: count, range, manual target per fan, default policy again; a passive board has none', async () => {
  await withControl(SCRIPT, async (c, [h100, rtx]) => {
    assert.equal(code(await c.fanCount(h100)), NVML_RETURN.ERROR_NOT_SUPPORTED);
    assert.equal(value(await c.fanCount(rtx)), 2);
    assert.deepEqual(value(await c.fanSpeedRangePct(rtx)), [30, 100]);
    assert.equal(value(await c.fanControlPolicy(rtx, 0)), NVML_FAN_POLICY.TEMPERATURE_CONTINOUS_SW);
    assert.equal(value(await c.fanTargetPct(rtx, 0)), 71);
    value(await c.setFanSpeedPct(rtx, 1, 60));
    assert.equal(value(await c.fanControlPolicy(rtx, 1)), NVML_FAN_POLICY.MANUAL);
    assert.equal(value(await c.fanControlPolicy(rtx, 0)), NVML_FAN_POLICY.TEMPERATURE_CONTINOUS_SW);
    assert.equal(value(await c.fanTargetPct(rtx, 1)), 60);
    assert.equal(value(await c.fanSpeedPct(rtx, 1)), 60);
    assert.equal(code(await c.setFanSpeedPct(rtx, 0, 20)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    assert.equal(code(await c.setFanSpeedPct(rtx, 2, 60)), NVML_RETURN.ERROR_INVALID_ARGUMENT);
    value(await c.setDefaultFanSpeed(rtx, 1));
    assert.equal(value(await c.fanControlPolicy(rtx, 1)), NVML_FAN_POLICY.TEMPERATURE_CONTINOUS_SW);
  });
});

test('scripted faults come back as codes with the call named; "accepted but ignored" returns SUCCESS', async () => {
  const script = `${SCRIPT}set_power_limit_rc 0 !4\nset_gpu_locked_clocks_rc !3\nignore_fan 1\n`;
  await withControl(script, async (c, [, rtx]) => {
    value(await c.setPowerLimitMw(rtx, 250000));
    const refused = await c.setPowerLimitMw(rtx, 260000);
    assert.ok(!refused.ok);
    assert.deepEqual(refused.issue, {
      call: 'nvmlDeviceSetPowerManagementLimit',
      code: NVML_RETURN.ERROR_NO_PERMISSION,
      name: 'NVML_ERROR_NO_PERMISSION',
      message: 'Insufficient Permissions',
    });
    assert.equal(code(await c.setGpuLockedClocks(rtx, 210, 1500)), NVML_RETURN.ERROR_NOT_SUPPORTED);
    value(await c.setFanSpeedPct(rtx, 0, 80));
    assert.equal(value(await c.fanControlPolicy(rtx, 0)), NVML_FAN_POLICY.TEMPERATURE_CONTINOUS_SW);
    assert.equal(value(await c.fanTargetPct(rtx, 0)), 71);
  });
});

test('a GPU that falls off the bus answers GPU_IS_LOST to every later call', async () => {
  // Keys appended to the script belong to its last device, the RTX card.
  await withControl(`${SCRIPT}lose_after_sets 1\n`, async (c, [h100, rtx]) => {
    value(await c.setPowerLimitMw(rtx, 300000));
    assert.equal(code(await c.powerLimitMw(rtx)), NVML_RETURN.ERROR_GPU_IS_LOST);
    assert.equal(code(await c.resetGpuLockedClocks(rtx)), NVML_RETURN.ERROR_GPU_IS_LOST);
    assert.equal(value(await c.powerLimitMw(h100)), 700000);
  });
});

test('an old driver lacks the newer symbols: FUNCTION_NOT_FOUND, not a crash', async () => {
  const old = buildFakeNvml({ old: true });
  try {
    old.useScript(SCRIPT);
    const c = await NvmlControl.open({ libraryPath: old.libraryPath });
    const [, rtx] = (await c.listDevices()).devices;
    const r = await c.setMemoryLockedClocks(rtx, 405, 5001);
    assert.ok(!r.ok);
    assert.equal(r.issue.code, NVML_RETURN.ERROR_FUNCTION_NOT_FOUND);
    assert.match(r.issue.message, /not exported by .*older driver/);
    assert.equal(code(await c.fanControlPolicy(rtx, 0)), NVML_RETURN.ERROR_FUNCTION_NOT_FOUND);
    await c.close();
  } finally {
    old.remove();
  }
});

test('arguments that do not fit an unsigned int are refused before any call', async () => {
  await withControl(SCRIPT, async (c, [h100]) => {
    fake.clearLog();
    await assert.rejects(c.setPowerLimitMw(h100, 250.5), { code: 'RT_ACTUATOR_BOUNDS' });
    await assert.rejects(c.setGpuLockedClocks(h100, -1, 1500), { code: 'RT_ACTUATOR_BOUNDS' });
    await assert.rejects(c.setFanSpeedPct(h100, 0, 2 ** 32), { code: 'RT_ACTUATOR_BOUNDS' });
    assert.deepEqual(fake.calls(), []);
  });
});

test('close() shuts NVML down once and is idempotent', async () => {
  fake.useScript(SCRIPT);
  fake.clearLog();
  const c = await NvmlControl.open({ libraryPath: fake.libraryPath });
  await c.close();
  await c.close();
  assert.equal(fake.calls().filter((l) => l === 'nvmlShutdown').length, 1);
});
