// Loading from disk: the shipped rigtune.example.yaml, an unreadable path, and SIGHUP reloads that
// keep the running config when the new file is bad.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isRigtuneError } from '../core/errors.ts';
import { ConfigError } from './config-error.ts';
import { loadConfig, reloadConfig } from './load.ts';
import { parseConfigText } from './parse.ts';
import { redactConfig } from './redact.ts';
import { SOURCE_KIND_NAMES } from './source-kinds.ts';

const EXAMPLE = fileURLToPath(new URL('../../rigtune.example.yaml', import.meta.url));
const EXAMPLE_ENV = {
  RIGTUNE_API_TOKEN: 'api-token-value-0123456789',
  RIGTUNE_XMRIG_TOKEN: 'xmrig-token-value',
};
const dir = mkdtempSync(join(tmpdir(), 'rigtune-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('rigtune.example.yaml loads: a GPU rig (nvml, xmrig, stratum), an Antminer, a Whatsminer', () => {
  const c = loadConfig(EXAMPLE, { env: EXAMPLE_ENV });
  assert.deepEqual(
    c.rigs.map((r) => [r.name, r.sources.map((s) => s.kind)]),
    [
      ['gpu-rig-01', ['nvml', 'xmrig', 'stratum']],
      ['antminer-s19-07', ['cgminer']],
      ['whatsminer-m30-03', ['cgminer']],
    ],
  );
  const dialects = c.rigs
    .slice(1)
    .map((r) => (r.sources[0].kind === 'cgminer' ? r.sources[0].options.dialect : null));
  assert.deepEqual(dialects, ['antminer', 'whatsminer']);
  assert.equal(c.sinks.valkey, null);
  assert.equal(c.http.host, '127.0.0.1');
  assert.equal(c.control.token, 'api-token-value-0123456789');
  assert.deepEqual(c.rigs[1].scorer.kpi.thermal_limits_c, { core_c: null, mem_c: null, chip_c: 90 });
  assert.equal(c.rigs[2].scorer.health.hashrateDropFrac, 0.08);
  assert.doesNotMatch(JSON.stringify(redactConfig(c)), /token-value/);
});

test('rigtune.example.yaml without its variables names both', () => {
  assert.throws(
    () => loadConfig(EXAMPLE, { env: {} }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.issues.length === 2 &&
      err.issues[0].message === 'environment variable RIGTUNE_API_TOKEN is not set' &&
      err.issues[1].message === 'environment variable RIGTUNE_XMRIG_TOKEN is not set' &&
      err.issues.every((i) => i.file === EXAMPLE),
  );
});

test('an unreadable path is RT_INPUT_NOT_FOUND naming the file', () => {
  const missing = join(dir, 'nope.yaml');
  assert.throws(
    () => loadConfig(missing, { env: {} }),
    (err: unknown) =>
      isRigtuneError(err, 'RT_INPUT_NOT_FOUND') &&
      err.where.file === missing &&
      err.message.includes('ENOENT'),
  );
  assert.throws(
    () => loadConfig(dir, { env: {} }),
    (err: unknown) => isRigtuneError(err, 'RT_INPUT_NOT_FOUND'),
  );
});

test('reload: a good file gives the new config and the diff; a bad one keeps the old', () => {
  const path = join(dir, 'rigtune.yaml');
  writeFileSync(path, 'rigs:\n  - name: a\n    sources: [{kind: nvml}]\n');
  const first = loadConfig(path, { env: {} });

  writeFileSync(
    path,
    'rigs:\n  - name: a\n    sources: [{kind: nvml}]\n  - name: b\n    sources: [{kind: nvml}]\n',
  );
  const good = reloadConfig(path, first, { env: {} });
  assert.equal(good.ok, true);
  if (good.ok) assert.deepEqual(good.diff.rigsAdded, ['b']);

  writeFileSync(path, 'rigs:\n  - name: a\n    sources: [{kind: nvml, interval_ms: 1}]\n');
  const bad = reloadConfig(path, first, { env: {} });
  assert.equal(bad.ok, false);
  assert.equal(bad.config, first);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'RT_CONFIG_INVALID');
    assert.equal(
      bad.error.message,
      `${path}:3:41: rigs[0].sources[0].interval_ms: expected an integer ≥ 100, got 1`,
    );
  }

  rmSync(path);
  const gone = reloadConfig(path, first, { env: {} });
  assert.equal(gone.ok, false);
  if (!gone.ok) assert.equal(gone.error.code, 'RT_INPUT_NOT_FOUND');
});

test('every source example.yaml validates as a source entry of a config', () => {
  for (const kind of SOURCE_KIND_NAMES) {
    const example = readFileSync(new URL(`../sources/${kind}/example.yaml`, import.meta.url), 'utf8');
    const indented = example
      .split('\n')
      .map((l) => (l === '' ? l : `        ${l}`))
      .join('\n');
    const text = `rigs:\n  - name: r\n    sources:\n      - kind: ${kind}\n${indented}\n`;
    const env = { RIGTUNE_POOL_KEY: 'k', RIGTUNE_XMRIG_TOKEN: 't' };
    const c = parseConfigText(text, `${kind}.yaml`, env);
    assert.equal(c.rigs[0].sources[0].kind, kind);
  }
});
