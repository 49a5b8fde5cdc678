// Placing key paths back in the YAML text: values, keys, missing keys, empty values, flow style,
// aliases, CRLF line ends; and how paths are printed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPath, type KeyPath, locate, readYaml, type YamlSource } from './yaml-source.ts';

function source(text: string): YamlSource {
  const s = readYaml(text, 'f.yaml');
  assert.ok(!('issues' in s));
  return s;
}

const at = (s: YamlSource, path: KeyPath, target?: 'key' | 'value') => {
  const p = locate(s, path, target);
  return `${p.line}:${p.column}`;
};

test('values, keys, missing keys and empty values', () => {
  const s = source('a:\n  b: 1\n  c: [x, {d: 2}]\n  e:\n');
  assert.equal(at(s, ['a', 'b']), '2:6');
  assert.equal(at(s, ['a', 'b'], 'key'), '2:3');
  assert.equal(at(s, ['a', 'c', 1, 'd']), '3:14');
  assert.equal(at(s, ['a', 'missing']), '2:3'); // the parent mapping
  assert.equal(at(s, ['a', 'c', 9]), '3:6'); // the list
  assert.equal(at(s, ['a', 'e']), '4:3'); // `e:` with nothing: the key
  assert.equal(at(s, []), '1:1');
});

test('aliases lead to the anchored node; CRLF keeps columns', () => {
  const s = source('x: &a {k: 1}\ny: *a\n');
  assert.equal(at(s, ['y', 'k']), '1:11');
  const crlf = source('a: 1\r\nb:\r\n  c: 2\r\n');
  assert.equal(at(crlf, ['b', 'c']), '3:6');
});

test('syntax errors carry line and column', () => {
  const r = readYaml('a: [1, 2\nb: 3\n', 'f.yaml');
  assert.ok('issues' in r);
  assert.equal(r.issues[0].file, 'f.yaml');
  assert.ok(r.issues[0].line >= 1 && r.issues[0].column >= 1);
  assert.match(r.issues[0].message, /^YAML syntax: /);
});

test('paths print like code', () => {
  assert.equal(formatPath(['rigs', 0, 'sources', 1, 'port']), 'rigs[0].sources[1].port');
  assert.equal(formatPath(['rigs', 0, 'labels', 'a b']), 'rigs[0].labels["a b"]');
  assert.equal(formatPath([]), '');
  assert.equal(formatPath([3]), '[3]');
});
