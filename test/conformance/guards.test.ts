// Conformance of kernel/guards against ../shared/vectors/guards-vectors.json (sep-reference.md §5.1).
// Both variants must match the Python outputs exactly (bit for bit), not within a tolerance.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  type GuardMetrics,
  throttleFactor,
  throttleFactorLegacyScore,
} from '../../src/kernel/guards/index.ts';

interface VectorMetrics {
  entropy: number;
  coherence: number;
  stability: number;
  rupture: number;
  hazard: number;
}

interface GuardVector {
  name: string;
  current: VectorMetrics;
  previous: VectorMetrics | null;
  v3_tpsl_throttle: number;
  score_throttle: number;
}

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/guards-vectors.json', import.meta.url), 'utf8'),
) as GuardVector[];

/** The vectors use the Python field name `hazard`; rigtune calls it `lambda_hazard`. */
function toMetrics(m: VectorMetrics | null): GuardMetrics | null {
  if (m === null) return null;
  return {
    entropy: m.entropy,
    coherence: m.coherence,
    stability: m.stability,
    rupture: m.rupture,
    lambda_hazard: m.hazard,
  };
}

test('guards vectors: all six cases are present', () => {
  assert.equal(VECTORS.length, 6);
});

for (const v of VECTORS) {
  test(`guards vector ${v.name}: V3/tpsl throttleFactor is exact`, () => {
    assert.equal(throttleFactor(toMetrics(v.current)!, toMetrics(v.previous)), v.v3_tpsl_throttle);
  });
  test(`guards vector ${v.name}: legacy score variant is exact`, () => {
    assert.equal(throttleFactorLegacyScore(toMetrics(v.current)!, toMetrics(v.previous)), v.score_throttle);
  });
}
