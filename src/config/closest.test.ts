// Spelling suggestions: edit distance, the closeness bound, substring matches.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestName, editDistance } from './closest.ts';

test('edit distance', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('port', 'port'), 0);
  assert.equal(editDistance('prot', 'port'), 2);
  assert.equal(editDistance('hots', 'host'), 2);
  assert.equal(editDistance('Port', 'port'), 0);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('closest name within the bound, by substring, or none', () => {
  const keys = ['host', 'port', 'timeout_ms', 'burst_interval_ms'];
  assert.equal(closestName('prot', keys), 'port');
  assert.equal(closestName('timeout', keys), 'timeout_ms');
  assert.equal(closestName('burst', keys), 'burst_interval_ms');
  assert.equal(closestName('zzz', keys), null);
  assert.equal(closestName('x', []), null);
});
