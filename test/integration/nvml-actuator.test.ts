// The nvml actuator with its neighbours on one fake NVML library: the device names it acts on are the
// ones the nvml source reads, and the control layer's verified write catches every ignored set-point.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CallContext, verifySetpoint, writeSetpoint } from '../../src/control/autotune/verify.ts';
import type { Clock } from '../../src/core/clock.ts';
import { create as createSource } from '../../src/sources/nvml/index.ts';
import { buildFakeNvml, type FakeNvml } from '../helpers/build-fake-nvml.ts';
import { CTX, controlScript, H100, RTX, withActuator } from '../helpers/nvml-actuator.ts';
import { pollCollector } from '../helpers/poll-collector.ts';

let fake: FakeNvml;
before(() => {
  fake = buildFakeNvml();
});
after(() => fake.remove());

/** A clock whose sleeps never end unless aborted: the verify deadline never fires in these tests. */
const stillClock: Clock = {
  nowMs: () => 0,
  sleep: (_ms, signal) =>
    new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
};

test('the actuator names each GPU exactly as the nvml source names its snapshots', async () => {
  await withActuator(fake, controlScript(), {}, async (actuator) => {
    const source = createSource({ library_path: fake.libraryPath, pcie_throughput: false }, { rig: 'rig-a' });
    const ctx = pollCollector(1000);
    try {
      await source.poll(ctx);
    } finally {
      await source.close();
    }
    const described = (await actuator.describe(CTX)).map((d) => d.device);
    assert.deepEqual(described, [H100, RTX]);
    assert.deepEqual(
      ctx.snapshots.map((s) => s.device),
      described,
    );
  });
});

test('verified writes: each set-point verifies when it takes and is not_applied when ignored', async () => {
  const cases = [
    { device: RTX, kind: 'power_limit_w', value: 250, fault: { rtx: 'ignore_power_limit 1\n' } },
    {
      device: H100,
      kind: 'clock_core_max_mhz',
      value: 1500,
      fault: { h100: 'ignore_gpu_locked_clocks 1\n' },
    },
    { device: RTX, kind: 'clock_mem_max_mhz', value: 810, fault: { rtx: 'ignore_mem_locked_clocks 1\n' } },
    { device: RTX, kind: 'fan_pct', value: 60, fault: { rtx: 'ignore_fan 1\n' } },
  ] as const;
  for (const { device, kind, value, fault } of cases)
    for (const ignored of [false, true])
      await withActuator(fake, controlScript(ignored ? fault : {}), {}, async (actuator) => {
        const limits = (await actuator.describe(CTX)).find((d) => d.device === device)?.limits[kind];
        const c: CallContext = { actuator, clock: stillClock, timeoutMs: 1000, signal: CTX.signal };
        assert.equal(await writeSetpoint(c, device, { kind, value }), null);
        const outcome = await verifySetpoint(c, device, kind, value, limits);
        assert.equal(outcome.status, ignored ? 'not_applied' : 'verified', `${kind} ignored=${ignored}`);
        if (ignored) return;
        assert.equal(await writeSetpoint(c, device, { kind, value: null }), null);
        assert.equal(
          (await verifySetpoint(c, device, kind, null, limits)).status,
          'verified',
          `${kind} reset`,
        );
      });
});
