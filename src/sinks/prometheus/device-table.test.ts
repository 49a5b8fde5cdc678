// The device table keeps each device's labels exactly as deviceLabels writes them (stored flat), finds a
// device again by (rig, device), and lists rows in the order devices were first seen.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DeviceTable } from './device-table.ts';
import { deviceLabels } from './exposition.ts';

test('labels equal deviceLabels for any names; a device is found again; rows keep first-seen order', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(fc.string(), fc.string()), {
        minLength: 1,
        maxLength: 20,
        selector: ([r, d]) => `${r}\u0000${d}`,
      }),
      (pairs) => {
        const table = new DeviceTable(1000, 60_000);
        for (const [rig, device] of pairs) assert.equal(table.update(rig, device, 1, null, null), 'added');
        for (const [rig, device] of pairs) assert.equal(table.update(rig, device, 2, null, null), 'updated');
        assert.equal(table.size, pairs.length);
        assert.deepEqual(
          table.rows().map((r) => r.labels),
          pairs.map(([rig, device]) => deviceLabels(rig, device)),
        );
      },
    ),
    { seed: 11, numRuns: 200 },
  );
});
