import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entriesOf, groupInfo, mapOf, readEntries } from './replies.ts';

const entries = [
  ['1-0', ['a', '1']],
  ['2-0', ['b', '2']],
];

test('stream replies read the same in RESP3 (maps) and RESP2 (arrays)', () => {
  assert.deepEqual(readEntries({ s: entries }, 's'), entries);
  assert.deepEqual(readEntries(new Map([['s', entries]]), 's'), entries);
  assert.deepEqual(readEntries([['s', entries]], 's'), entries);
  assert.deepEqual(readEntries(null, 's'), []);
  assert.deepEqual(entriesOf([...entries, null, ['x']]), entries);
  const g2 = ['name', 'g', 'last-delivered-id', '2-0'];
  const g3 = { name: 'g', 'last-delivered-id': '2-0' };
  assert.equal(groupInfo([g2], 'g')?.get('last-delivered-id'), '2-0');
  assert.equal(groupInfo([g3], 'g')?.get('last-delivered-id'), '2-0');
  assert.equal(groupInfo([g3], 'h'), null);
  assert.equal(mapOf(7).size, 0);
});
