import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromSpoolLine, toSpoolLine } from './spool.ts';

test('a spool line gives back its entry; other lines are refused', () => {
  const e = { p: 3, seq: 1_700_000_000_000_001, fields: ['rig', 'r', 'snapshots', '[]'] };
  assert.deepEqual(fromSpoolLine(toSpoolLine(e)), e);
  for (const bad of ['', '{', '[2,3,1,[]]', '[1,-1,1,[]]', '[1,3,1,[4]]', '[1,3,"x",[]]'])
    assert.equal(fromSpoolLine(bad), null, bad);
});
