// The source registry against the tree: one entry per src/sources/<kind>/ folder and back, every
// example.yaml valid for its schema, defaults that match the schemas, factories that build sources.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { SOURCE_KINDS, SOURCE_REGISTRY, sourceEntry } from './source-registry.ts';

const SOURCES = new URL('../sources/', import.meta.url);
/** Folders of src/sources that are not a source kind. */
const NOT_KINDS = new Set(['common']);

function exampleOf(kind: string): Record<string, unknown> {
  const text = readFileSync(new URL(`${kind}/example.yaml`, SOURCES), 'utf8');
  return parse(text) as Record<string, unknown>;
}

const ENV = { RIGTUNE_XMRIG_TOKEN: 'secret', RIGTUNE_POOL_KEY: 'secret' };

test('every folder in src/sources has a registry entry, and every entry a folder', () => {
  const folders = readdirSync(SOURCES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_KINDS.has(e.name))
    .map((e) => e.name)
    .sort();
  assert.deepEqual([...SOURCE_KINDS].sort(), folders);
  for (const kind of SOURCE_KINDS) assert.equal(SOURCE_REGISTRY[kind].kind, kind);
});

test('every example.yaml validates with its schema', () => {
  for (const kind of SOURCE_KINDS) {
    const file = new URL(`${kind}/example.yaml`, SOURCES);
    assert.ok(existsSync(file), `${kind} has no example.yaml`);
    const result = SOURCE_REGISTRY[kind].optionsSchema.safeParse(exampleOf(kind));
    assert.ok(result.success, `${kind}/example.yaml: ${result.success ? '' : result.error.message}`);
  }
});

test('defaultIntervalMs is the schema default of interval_ms', () => {
  for (const kind of SOURCE_KINDS) {
    const { interval_ms: _, ...rest } = exampleOf(kind);
    const parsed = SOURCE_REGISTRY[kind].optionsSchema.parse(rest) as { interval_ms: number };
    assert.equal(parsed.interval_ms, SOURCE_REGISTRY[kind].defaultIntervalMs, kind);
  }
});

test('only the GPU readers are fast-capable', () => {
  const fast = SOURCE_KINDS.filter((k) => SOURCE_REGISTRY[k].fastCapable);
  assert.deepEqual(fast, ['nvml', 'nvidia-smi']);
});

test('each factory builds an unopened source of its kind from the example; bad options are refused', async () => {
  for (const kind of SOURCE_KINDS) {
    const source = SOURCE_REGISTRY[kind].create(exampleOf(kind), { rig: 'rig-x', env: ENV });
    assert.equal(source.kind, kind);
    assert.equal(source.rig, 'rig-x');
    await source.close();
    assert.throws(
      () => SOURCE_REGISTRY[kind].create({ ...exampleOf(kind), no_such_option: 1 }, { rig: 'r' }),
      {
        code: 'RT_CONFIG_INVALID',
      },
    );
  }
});

test('probe options are valid options of their kind', () => {
  const targets = [
    { host: '127.0.0.1', port: 4321, timeoutMs: 150 },
    { host: '::1', port: null, timeoutMs: 2000 },
  ];
  const probed = SOURCE_KINDS.filter((k) => SOURCE_REGISTRY[k].probe !== undefined);
  assert.deepEqual(probed, ['nvml', 'cgminer', 'xmrig', 'lolminer', 'trex', 'gminer']);
  for (const kind of probed)
    for (const t of targets) {
      const options = SOURCE_REGISTRY[kind].probe?.options(t);
      const result = SOURCE_REGISTRY[kind].optionsSchema.safeParse(options);
      assert.ok(result.success, `${kind} ${JSON.stringify(options)}`);
    }
  const xmrigProbe = SOURCE_REGISTRY.xmrig.probe;
  assert.ok(xmrigProbe);
  const xmrigUrl = (xmrigProbe.options(targets[1]) as { url: string }).url;
  assert.equal(xmrigUrl, 'http://[::1]:8080');
});

test('an unknown kind is a config error naming the known ones', () => {
  assert.equal(sourceEntry('cgminer').kind, 'cgminer');
  assert.throws(
    () => sourceEntry('antminer'),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'RT_CONFIG_INVALID');
      assert.match(err.message, /known: nvml, nvidia-smi, cgminer/);
      return true;
    },
  );
  assert.throws(() => sourceEntry('toString'), { code: 'RT_CONFIG_INVALID' });
});
