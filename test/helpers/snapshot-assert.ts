// Checks a snapshot field by field: the listed fields must hold exactly the expected values and every
// other numeric field must be null, so a mapper test covers all fields, including the unfilled ones.

import assert from 'node:assert/strict';
import { NUMERIC_FIELDS, type Snapshot, type SnapshotValues } from '../../src/core/snapshot.ts';

/** Asserts `snapshot` has `expected` values (and identity) and null in every field not listed. */
export function assertSnapshot(
  snapshot: Snapshot,
  identity: { ts: number; rig: string; device: string },
  expected: Partial<SnapshotValues>,
): void {
  assert.equal(snapshot.ts, identity.ts, 'ts');
  assert.equal(snapshot.rig, identity.rig, 'rig');
  assert.equal(snapshot.device, identity.device, 'device');
  for (const field of NUMERIC_FIELDS) {
    const want = expected[field] ?? null;
    const got = snapshot[field];
    if (typeof want === 'number' && typeof got === 'number' && !Number.isInteger(want))
      assert.ok(
        Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)),
        `${snapshot.device}.${field}: ${got} ≠ ${want}`,
      );
    else assert.equal(got, want, `${snapshot.device}.${field}`);
  }
}
