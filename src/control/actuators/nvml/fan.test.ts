// Fans through the nvml actuator: one percentage for every fan of the GPU, null back to the driver's
// curve, read-back from each fan's policy and target speed, fans that disagree or ignore the write.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildFakeNvml, type FakeNvml } from '../../../../test/helpers/build-fake-nvml.ts';
import { CTX, controlScript, RTX, withActuator } from '../../../../test/helpers/nvml-actuator.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

const fanCalls = () => fake.calls().filter((c) => /^nvmlDeviceSet.*Fan/.test(c));

test('automatic fans read null; a write sets every fan (rounded to whole %); null restores automatic', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    assert.equal(await a.read(RTX, 'fan_pct', CTX), null);
    fake.clearLog();
    await a.write(RTX, { kind: 'fan_pct', value: 64.6 }, CTX);
    assert.deepEqual(fanCalls(), ['nvmlDeviceSetFanSpeed_v2 1', 'nvmlDeviceSetFanSpeed_v2 1']);
    assert.equal(await a.read(RTX, 'fan_pct', CTX), 65);
    fake.clearLog();
    await a.write(RTX, { kind: 'fan_pct', value: null }, CTX);
    assert.deepEqual(fanCalls(), ['nvmlDeviceSetDefaultFanSpeed_v2 1', 'nvmlDeviceSetDefaultFanSpeed_v2 1']);
    assert.equal(await a.read(RTX, 'fan_pct', CTX), null);
  });
});

test('read-back asks each fan for its policy and target speed, every time', async () => {
  await withActuator(fake, controlScript(), {}, async (a) => {
    await a.write(RTX, { kind: 'fan_pct', value: 55 }, CTX);
    fake.clearLog();
    await a.read(RTX, 'fan_pct', CTX);
    assert.deepEqual(fake.calls(), [
      'nvmlDeviceGetFanControlPolicy_v2 1',
      'nvmlDeviceGetTargetFanSpeed 1',
      'nvmlDeviceGetFanControlPolicy_v2 1',
      'nvmlDeviceGetTargetFanSpeed 1',
    ]);
  });
});

test('a fan speed accepted but ignored reads back as automatic (null), not as the value written', async () => {
  await withActuator(fake, controlScript({ rtx: 'ignore_fan 1\n' }), {}, async (a) => {
    await a.write(RTX, { kind: 'fan_pct', value: 80 }, CTX);
    assert.equal(await a.read(RTX, 'fan_pct', CTX), null);
  });
});

test('fans left in different states (second fan refused) are not_applied on read, naming each fan', async () => {
  await withActuator(fake, controlScript({ rtx: 'set_fan_speed_rc 0 !4\n' }), {}, async (a) => {
    await assert.rejects(a.write(RTX, { kind: 'fan_pct', value: 70 }, CTX), {
      reason: 'refused',
      message: /Setting fan 1 of 0000:0a:00\.0 to 70 % failed: .*NO_PERMISSION/,
    });
    await assert.rejects(a.read(RTX, 'fan_pct', CTX), {
      code: 'RT_ACTUATOR_NOT_APPLIED',
      message: /fans of 0000:0a:00\.0 disagree: fan 0 70 %, fan 1 automatic/,
    });
    await a.write(RTX, { kind: 'fan_pct', value: null }, CTX);
    assert.equal(await a.read(RTX, 'fan_pct', CTX), null);
  });
});
