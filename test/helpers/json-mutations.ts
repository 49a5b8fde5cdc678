// fast-check arbitraries that take a real fixture and replace parts of it with arbitrary JSON, and a
// check that a mapper either maps (every number finite) or throws a SourceError — never anything else.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SourceError } from '../../src/core/errors.ts';
import { NUMERIC_FIELDS, type Snapshot } from '../../src/core/snapshot.ts';

/** `value` with random subtrees (any depth) swapped for arbitrary JSON, keeping most of its shape. */
export function mutationsOf(value: unknown, depth = 0): fc.Arbitrary<unknown> {
  const replace = fc.jsonValue({ maxDepth: 2 });
  if (depth > 5) return fc.oneof(fc.constant(value), replace);
  if (Array.isArray(value)) {
    const kept =
      value.length === 0 ? fc.constant([]) : fc.tuple(...value.map((v) => mutationsOf(v, depth + 1)));
    return fc.oneof({ weight: 4, arbitrary: kept }, { weight: 1, arbitrary: replace });
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, mutationsOf(v, depth + 1)] as const);
    const kept = fc.record(Object.fromEntries(entries));
    return fc.oneof({ weight: 4, arbitrary: kept }, { weight: 1, arbitrary: replace });
  }
  return fc.oneof({ weight: 3, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: replace });
}

/** Runs `map` on `input`: a SourceError is fine; a result must hold only finite numbers or null. */
export function assertMapsOrRefuses(map: () => { snapshots: readonly Snapshot[] }): void {
  let result: { snapshots: readonly Snapshot[] };
  try {
    result = map();
  } catch (err) {
    assert.ok(err instanceof SourceError, `mapper threw ${String(err)}`);
    return;
  }
  for (const s of result.snapshots)
    for (const f of NUMERIC_FIELDS) {
      const v = s[f];
      assert.ok(v === null || Number.isFinite(v), `${s.device}.${f} = ${v}`);
    }
}
