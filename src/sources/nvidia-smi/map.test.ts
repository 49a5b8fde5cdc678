// The pure nvidia-smi row mapping: aliases, unit distrust, device ids, and nulls staying null.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { parseHeader, parseRow, type SmiRow, zoneConverter } from '../../protocols/nvidia-smi/index.ts';
import { deviceIdOfRow, mapSmiRow, unitMismatches } from './map.ts';

const utc = zoneConverter('UTC');
const row = (header: string, line: string) => parseRow(line, 2, parseHeader(header)!, utc) as SmiRow;

test('older aliases map like the current names (clocks.sm, clocks_throttle_reasons.active, gpu_bus_id)', () => {
  const r = row(
    'timestamp, gpu_bus_id, clocks.sm [MHz], clocks.mem [MHz], clocks_throttle_reasons.active, power.limit [W]',
    '2026/11/26 16:25:03.110, 00000000:01:00.0, 1800, 9501, 0x0000000000000020, 250.00',
  );
  const result = mapSmiRow(r, 'rig', 0)!;
  assertSnapshot(
    result.snapshots[0],
    { ts: Date.UTC(2026, 10, 26, 16, 25, 3, 110), rig: 'rig', device: '0000:01:00.0' },
    {
      clock_core_mhz: 1800,
      clock_mem_mhz: 9501,
      throttle_flags: 0x20,
      power_limit_w: 250,
    },
  );
  assert.deepEqual(result.raw, [{ device: '0000:01:00.0', field: 'power_limit_requested_w', value: 250 }]);
});

test('a column with an unexpected unit is reported and maps to null, never rescaled by guess', () => {
  const header = 'timestamp, index, power.draw [mW], memory.used [GiB], fan.speed [%]';
  assert.deepEqual(unitMismatches(parseHeader(header)!), ['power.draw [mW]', 'memory.used [GiB]']);
  const r = row(header, '2026/11/26 16:25:03.110, 3, 84240, 2, 40');
  const result = mapSmiRow(r, 'rig', 0, new Set(['power.draw', 'memory.used']))!;
  assertSnapshot(result.snapshots[0], { ts: r.ts!, rig: 'rig', device: 'gpu3' }, { fan_pct: 40 });
  assert.deepEqual(result.raw, []);
});

test('device ids: canonical bus id, else gpu<index>, else no snapshot', () => {
  assert.equal(deviceIdOfRow(row('index, pci.bus_id', '0, 00000000:0A:00.0')), '0000:0a:00.0');
  assert.equal(deviceIdOfRow(row('index, pci.bus_id', '2, [N/A]')), 'gpu2');
  assert.equal(mapSmiRow(row('power.draw [W]', '12.5'), 'rig', 7), null);
});
