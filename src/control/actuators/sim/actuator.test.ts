// Tests of the simulator actuator: model limits, writes that take effect in the physics, read-back of
// the device's own state (not an echo), errors by reason, and the firmware that ignores writes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { ActuatorContext } from '../../../core/actuator.ts';
import { ActuatorError, isRigtuneError } from '../../../core/errors.ts';
import { Fleet, parseFaultSpec } from '../../../sim/index.ts';
import { create, optionsSchema, SimActuator } from './index.ts';

const T0 = Date.UTC(2026, 0, 1);
const ctx: ActuatorContext = {
  clock: { nowMs: () => T0, sleep: async () => undefined },
  signal: new AbortController().signal,
};

function fleet(faults = ''): Fleet {
  return new Fleet({
    seed: 3,
    startMs: T0,
    gpuRigs: 2,
    gpusPerRig: 2,
    asics: 1,
    settleS: 60,
    faults: faults === '' ? undefined : parseFaultSpec(faults),
  });
}

async function rejects(p: Promise<unknown>, reason: ActuatorError['reason']): Promise<void> {
  await assert.rejects(p, (err) => err instanceof ActuatorError && err.reason === reason);
}

test('describe: GPU limits from the card model; a fanless card has no fan; an ASIC has total only', async () => {
  const f = fleet();
  const rtx = await new SimActuator(f, 'rig0').describe(ctx);
  assert.deepEqual(
    rtx.map((d) => d.device),
    ['gpu0', 'gpu1'],
  );
  assert.deepEqual(rtx[0].limits.power_limit_w, { min: 100, max: 400, default: 350 });
  assert.equal(rtx[0].limits.fan_pct?.max, 100);
  assert.equal(rtx[0].limits.clock_core_max_mhz?.step, 15);
  const h100 = await new SimActuator(f, 'rig1').describe(ctx);
  assert.deepEqual(h100[0].limits.power_limit_w, { min: 200, max: 700, default: 700 });
  assert.equal(h100[0].limits.fan_pct, undefined);
  const asic = await new SimActuator(f, 'asic0').describe(ctx);
  assert.deepEqual(
    asic.map((d) => d.device),
    ['total'],
  );
  assert.equal(asic[0].limits.power_limit_w?.default, 3250);
  assert.equal(asic[0].model, 'Antminer S19 Pro');
});

test('a power-limit write takes effect in the physics and reads back from the device', async () => {
  const f = fleet();
  const a = new SimActuator(f, 'rig1');
  assert.equal(await a.read('gpu0', 'power_limit_w', ctx), 700);
  await a.write('gpu0', { kind: 'power_limit_w', value: 500 }, ctx);
  assert.equal(await a.read('gpu0', 'power_limit_w', ctx), 500);
  for (let i = 0; i < 30; i++) f.step(1000);
  const snap = f.snapshots().find((s) => s.rig === 'rig1' && s.device === 'gpu0');
  assert.equal(snap?.power_limit_w, 500);
  assert.ok((snap?.power_w ?? Infinity) <= 500 * 1.01);
  await a.write('gpu0', { kind: 'power_limit_w', value: null }, ctx);
  assert.equal(await a.read('gpu0', 'power_limit_w', ctx), 700);
});

test('clock locks, fan and the ASIC power target: null means unlocked / automatic / default', async () => {
  const f = fleet();
  const g = new SimActuator(f, 'rig0');
  assert.equal(await g.read('gpu1', 'clock_core_max_mhz', ctx), null);
  await g.write('gpu1', { kind: 'clock_core_max_mhz', value: 1500 }, ctx);
  await g.write('gpu1', { kind: 'clock_mem_max_mhz', value: 9000 }, ctx);
  await g.write('gpu1', { kind: 'fan_pct', value: 80 }, ctx);
  assert.equal(await g.read('gpu1', 'clock_core_max_mhz', ctx), 1500);
  assert.equal(await g.read('gpu1', 'clock_mem_max_mhz', ctx), 9000);
  assert.equal(await g.read('gpu1', 'fan_pct', ctx), 80);
  await g.write('gpu1', { kind: 'fan_pct', value: null }, ctx);
  assert.equal(await g.read('gpu1', 'fan_pct', ctx), null);
  const m = new SimActuator(f, 'asic0');
  await m.write('total', { kind: 'power_limit_w', value: 2800 }, ctx);
  assert.equal(await m.read('total', 'power_limit_w', ctx), 2800);
  assert.equal(f.asic('asic0').powerTargetW, 2800);
});

test('errors carry their reason: out of bounds, unsupported, unknown device, aborted, closed', async () => {
  const f = fleet();
  const a = new SimActuator(f, 'rig1');
  await rejects(a.write('gpu0', { kind: 'power_limit_w', value: 900 }, ctx), 'out_of_bounds');
  await rejects(a.write('gpu0', { kind: 'power_limit_w', value: Number.NaN }, ctx), 'out_of_bounds');
  await rejects(a.write('gpu0', { kind: 'fan_pct', value: 50 }, ctx), 'unsupported');
  await rejects(a.read('gpu0', 'profile_step', ctx), 'unsupported');
  await rejects(a.read('gpu7', 'power_limit_w', ctx), 'unsupported');
  await rejects(a.read('total', 'power_limit_w', ctx), 'unsupported');
  assert.equal(f.gpu('rig1', 'gpu0').powerLimitW, 700, 'a refused write changes nothing');
  const aborted = new AbortController();
  aborted.abort();
  await rejects(a.read('gpu0', 'power_limit_w', { ...ctx, signal: aborted.signal }), 'unreachable');
  const err = await a.write('gpu0', { kind: 'power_limit_w', value: 100 }, ctx).catch((e: unknown) => e);
  assert.ok(isRigtuneError(err, 'RT_ACTUATOR_BOUNDS'));
  assert.equal(err.where.device, 'gpu0');
  await a.close();
  await a.close();
  await rejects(a.read('gpu0', 'power_limit_w', ctx), 'unreachable');
});

test('a GPU off the bus is not described and is unreachable for read and write', async () => {
  const f = fleet('driver_crash@rig0/gpu1@0s');
  const a = new SimActuator(f, 'rig0');
  assert.deepEqual(
    (await a.describe(ctx)).map((d) => d.device),
    ['gpu0'],
  );
  await rejects(a.write('gpu1', { kind: 'power_limit_w', value: 250 }, ctx), 'unreachable');
  await rejects(a.read('gpu1', 'power_limit_w', ctx), 'unreachable');
});

test('ignore_writes firmware: the write is accepted, the read-back shows the old value', async () => {
  const f = fleet('ignore_writes@rig0/gpu0@0s,ignore_writes@asic0@0s');
  const a = new SimActuator(f, 'rig0');
  await a.write('gpu0', { kind: 'power_limit_w', value: 250 }, ctx);
  assert.equal(await a.read('gpu0', 'power_limit_w', ctx), 350);
  await a.write('gpu1', { kind: 'power_limit_w', value: 250 }, ctx);
  assert.equal(await a.read('gpu1', 'power_limit_w', ctx), 250);
  const m = new SimActuator(f, 'asic0');
  await m.write('total', { kind: 'power_limit_w', value: 2000 }, ctx);
  assert.equal(await m.read('total', 'power_limit_w', ctx), 3250);
});

test('the devices option narrows what the driver may change', async () => {
  const a = create({ devices: ['gpu1'] }, { fleet: fleet(), rig: 'rig0' });
  assert.deepEqual(
    (await a.describe(ctx)).map((d) => d.device),
    ['gpu1'],
  );
  await rejects(a.write('gpu0', { kind: 'power_limit_w', value: 250 }, ctx), 'unsupported');
});

test('options: example.yaml validates; unknown keys and a missing rig are RT_CONFIG_INVALID', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  assert.deepEqual(optionsSchema.parse(parse(text)), { devices: null });
  assert.throws(
    () => create({ devise: [] } as never, { fleet: fleet(), rig: 'rig0' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.throws(
    () => create({}, { fleet: fleet(), rig: 'nope' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
});
