// joinByPciBusId: merges by bus id in any spelling, keeps miner fields from the miner and NVML's
// from NVML, and reports (never guesses) devices without a bus id, a counterpart or a unique id.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot, type Snapshot, type SnapshotValues } from '../../core/snapshot.ts';
import { joinByPciBusId } from './gpu-join.ts';

function snap(device: string, values: Partial<SnapshotValues>, ts = 1000, rig = 'rig-a'): Snapshot {
  return { ...emptySnapshot(ts, rig, device), ...values };
}

test('miner and NVML rows meet on the bus id whatever its spelling', () => {
  const miner = [
    snap('0000:01:00.0', { hashrate_5s: 1e8, accepted_shares: 10, power_w: 200, temp_mem_c: 90 }, 1000),
    snap('0000:0a:00.0', { hashrate_5s: 2e8, rejected_shares: 1 }, 1000),
    snap('total', { hashrate_5s: 3e8 }),
  ];
  const nvml = [
    snap('00000000:01:00.0', { power_w: 210, temp_core_c: 60, clock_core_mhz: 1800, hashrate_5s: 5 }, 1010),
    snap('00000000:0A:00.0', { power_w: 150, temp_mem_c: 70 }, 990),
  ];
  const r = joinByPciBusId(miner, nvml);
  assert.deepEqual(r.unmatchedMiner, []);
  assert.deepEqual(r.unmatchedNvml, []);
  assert.deepEqual(
    r.matched.map((m) => [m.pci_bus_id, m.miner, m.nvml]),
    [
      ['0000:01:00.0', '0000:01:00.0', '00000000:01:00.0'],
      ['0000:0a:00.0', '0000:0a:00.0', '00000000:0A:00.0'],
    ],
  );
  const [a, b, total] = r.snapshots;
  assert.equal(a.device, '0000:01:00.0');
  assert.equal(a.ts, 1010);
  assert.equal(a.hashrate_5s, 1e8); // miner field from the miner even though NVML had a value
  assert.equal(a.accepted_shares, 10);
  assert.equal(a.power_w, 210); // NVML wins for what it measures
  assert.equal(a.temp_core_c, 60);
  assert.equal(a.clock_core_mhz, 1800);
  assert.equal(a.temp_mem_c, 90); // NVML had none (GDDR6X): the miner's value fills it
  assert.equal(b.ts, 1000);
  assert.equal(b.temp_mem_c, 70);
  assert.equal(b.rejected_shares, 1);
  assert.equal(b.hashrate_1m, null);
  assert.equal(total.device, 'total');
  assert.equal(r.snapshots.length, 3);
});

test('device facts supply bus ids when device names are not bus ids', () => {
  const miner = [snap('gpu0', { hashrate_5s: 1 })];
  const nvml = [snap('nvml0', { power_w: 2 })];
  const r = joinByPciBusId(miner, nvml, {
    minerDevices: [{ device: 'gpu0', pci_bus_id: '01:00.0' }],
    nvmlDevices: [{ device: 'nvml0', pci_bus_id: '00000000:01:00.0' }],
  });
  assert.equal(r.snapshots.length, 1);
  assert.equal(r.snapshots[0].device, '0000:01:00.0');
  assert.equal(r.snapshots[0].hashrate_5s, 1);
  assert.equal(r.snapshots[0].power_w, 2);
});

test('no bus id, no counterpart, duplicates and other rigs are reported and passed through', () => {
  const miner = [
    snap('gpu3', { hashrate_5s: 1 }), // no bus id: never matched by index
    snap('0000:02:00.0', { hashrate_5s: 2 }), // NVML has no such device
    snap('0000:03:00.0', { hashrate_5s: 3 }),
    snap('03:00.0', { hashrate_5s: 4 }), // same bus twice on the miner side
    snap('0000:04:00.0', { hashrate_5s: 5 }, 1000, 'rig-b'), // same bus id, other rig
  ];
  const nvml = [
    snap('00000000:03:00.0', { power_w: 1 }),
    snap('00000000:04:00.0', { power_w: 2 }),
    snap('gpu0', { power_w: 3 }),
  ];
  const r = joinByPciBusId(miner, nvml);
  assert.deepEqual(r.matched, []);
  assert.deepEqual(
    r.unmatchedMiner.map((u) => [u.device, u.pci_bus_id, u.reason]),
    [
      ['gpu3', null, 'no-pci-bus-id'],
      ['0000:02:00.0', '0000:02:00.0', 'no-counterpart'],
      ['0000:03:00.0', '0000:03:00.0', 'duplicate-pci-bus-id'],
      ['03:00.0', '0000:03:00.0', 'duplicate-pci-bus-id'],
      ['0000:04:00.0', '0000:04:00.0', 'no-counterpart'],
    ],
  );
  assert.deepEqual(
    r.unmatchedNvml.map((u) => [u.device, u.reason]),
    [
      ['00000000:03:00.0', 'duplicate-pci-bus-id'],
      ['00000000:04:00.0', 'no-counterpart'],
      ['gpu0', 'no-pci-bus-id'],
    ],
  );
  assert.equal(r.snapshots.length, miner.length + nvml.length);
  assert.equal(r.snapshots.find((s) => s.device === 'gpu3')?.hashrate_5s, 1);
});

test('empty inputs give an empty join', () => {
  assert.deepEqual(joinByPciBusId([], []), {
    snapshots: [],
    matched: [],
    unmatchedMiner: [],
    unmatchedNvml: [],
  });
});
