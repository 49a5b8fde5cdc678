// The pure NVML mapping: unit conversion, power-limit fallback, device ids, and nulls staying null.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import type { NvmlDevice, NvmlDeviceReading } from '../../protocols/nvml/index.ts';
import { MapResultBuilder } from '../common/index.ts';
import { deviceIdOf, mapNvmlReading } from './map.ts';

const device: NvmlDevice = {
  index: 3,
  handle: null,
  name: 'GPU',
  uuid: null,
  pciBusId: '00000000:81:00.0',
  pci: null,
  issues: [],
};

const empty: NvmlDeviceReading = {
  powerMw: null,
  energyMj: null,
  tempGpuC: null,
  tempMemC: null,
  clockSmMhz: null,
  clockMemMhz: null,
  fanPct: null,
  utilGpuPct: null,
  utilMemPct: null,
  memUsedBytes: null,
  memTotalBytes: null,
  powerLimitMw: null,
  powerLimitMinMw: null,
  powerLimitMaxMw: null,
  powerLimitDefaultMw: null,
  enforcedPowerLimitMw: null,
  pstate: null,
  clocksEventReasons: null,
  pcieTxKbS: null,
  pcieRxKbS: null,
  issues: [],
};

test('a reading with nothing supported maps to an all-null snapshot and no raw fields', () => {
  const b = new MapResultBuilder(5, 'rig');
  mapNvmlReading(b, device, empty);
  const r = b.build();
  assertSnapshot(r.snapshots[0], { ts: 5, rig: 'rig', device: '0000:81:00.0' }, {});
  assert.deepEqual(r.raw, []);
  assert.deepEqual(r.devices, [{ device: '0000:81:00.0', model: 'GPU', pci_bus_id: '0000:81:00.0' }]);
});

test('power_limit_w is the enforced limit, else the requested one; mW and mJ become W and J', () => {
  const b = new MapResultBuilder(5, 'rig');
  mapNvmlReading(b, device, {
    ...empty,
    powerLimitMw: 250000,
    powerMw: 1500,
    energyMj: 123456789,
    pstate: 8,
  });
  const r = b.build();
  assertSnapshot(
    r.snapshots[0],
    { ts: 5, rig: 'rig', device: '0000:81:00.0' },
    {
      power_limit_w: 250,
      power_w: 1.5,
      energy_j: 123456.789,
    },
  );
  assert.deepEqual(
    r.raw.map((x) => [x.field, x.value]),
    [
      ['pstate', 'P8'],
      ['power_limit_requested_w', 250],
    ],
  );
  const b2 = new MapResultBuilder(5, 'rig');
  mapNvmlReading(b2, device, { ...empty, powerLimitMw: 250000, enforcedPowerLimitMw: 200000 });
  assert.equal(b2.build().snapshots[0].power_limit_w, 200);
});

test('a GPU without a bus id is named gpu<index>', () => {
  assert.equal(deviceIdOf({ ...device, pciBusId: null }), 'gpu3');
  assert.equal(deviceIdOf({ ...device, pciBusId: 'garbage' }), 'gpu3');
});
