// diffConfig: rigs added, removed and changed (by part), sinks, HTTP, sampling, defaults.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffConfig } from './diff.ts';
import { parseConfigText } from './parse.ts';

const parse = (text: string) => parseConfigText(text, 'rigtune.yaml', { URL: 'redis://127.0.0.1:6379' });

const BASE = `
http: {port: 8080}
rigs:
  - name: a
    sources: [{kind: nvml}]
  - name: b
    labels: {site: x}
    sources: [{kind: cgminer, host: 10.0.0.2}]
  - name: c
    sources: [{kind: nvml}]
`;

test('the same file twice: nothing changed, whatever the rig order', () => {
  const d = diffConfig(parse(BASE), parse(BASE));
  assert.equal(d.isEmpty, true);
  const reordered = BASE.replace('  - name: a\n    sources: [{kind: nvml}]\n', '').concat(
    '  - name: a\n    sources: [{kind: nvml}]\n',
  );
  assert.equal(diffConfig(parse(BASE), parse(reordered)).isEmpty, true);
});

test('rigs added, removed, and changed by part', () => {
  const after = `
http: {port: 8081}
sinks: {valkey: {url_env: URL}}
rigs:
  - name: a
    thresholds: {window_bits: 63}
    sources: [{kind: nvml}]
  - name: b
    labels: {site: y}
    autotune: off
    sources: [{kind: cgminer, host: 10.0.0.3}]
  - name: d
    sources: [{kind: nvml}]
`;
  const d = diffConfig(parse(BASE), parse(after));
  assert.deepEqual(d.rigsAdded, ['d']);
  assert.deepEqual(d.rigsRemoved, ['c']);
  assert.deepEqual(d.rigsChanged, [
    { name: 'a', parts: ['scorer'] },
    { name: 'b', parts: ['sources', 'labels', 'autotune'] },
  ]);
  assert.deepEqual(d.sinksChanged, ['valkey']);
  assert.equal(d.httpChanged, true);
  assert.equal(d.samplingChanged, false);
  assert.equal(d.dataDirChanged, false);
  assert.equal(d.defaultsChanged, false);
  assert.equal(d.isEmpty, false);
});

test('a change of defaults: shows on every rig that inherits it', () => {
  const after = `defaults: {health: {eff_drop_frac: 0.1}}\nsampling: {interval_ms: 2000}\ndata_dir: /x\n${BASE}`;
  const d = diffConfig(parse(BASE), parse(after));
  assert.equal(d.defaultsChanged, true);
  assert.deepEqual(
    d.rigsChanged.map((r) => r.name),
    ['a', 'b', 'c'],
  );
  assert.equal(d.samplingChanged, true);
  assert.equal(d.dataDirChanged, true);
  assert.deepEqual(d.sinksChanged, ['parquet', 'audit']); // their directories follow data_dir
});
