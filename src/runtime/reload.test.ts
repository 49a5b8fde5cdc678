// SIGHUP reloads against a service built from rigtune.yaml files in a temp directory: what changes live,
// what is kept as "needs restart", and a bad file logged with file:line:column while the old one runs.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { loadConfig } from '../config/index.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { reloadFromFile } from './reload.ts';
import { Service } from './service.ts';
import { serviceRigs, serviceSampling } from './service-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'rigtune.yaml');

/** A rigtune.yaml; the ports are never listened on (the service is not started). */
function yaml(o: { port?: number; rigs: string[]; thresholdsA?: string; prometheus?: boolean }): string {
  const rigs = o.rigs.flatMap((name, i) => [
    `  - name: ${name}`,
    ...(name === 'a' && o.thresholdsA !== undefined ? [`    thresholds: ${o.thresholdsA}`] : []),
    '    sources:',
    `      - {kind: cgminer, host: 127.0.0.1, port: ${40000 + i}}`,
  ]);
  return [
    `data_dir: ${dir}`,
    `http: {port: ${o.port ?? 0}}`,
    ...(o.prometheus === false ? ['sinks:', '  prometheus: {enabled: false}'] : []),
    'rigs:',
    ...rigs,
    '',
  ].join('\n');
}

function harness() {
  writeFileSync(file, yaml({ rigs: ['a', 'b'] }));
  const config = loadConfig(file, { env: {} });
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const clock = new FakeClock(1_780_000_000_000);
  const service = new Service(serviceRigs(config, {}), serviceSampling(config), {
    clock,
    timers: clock,
    logger,
    sinks: [createEmbedded({}, { clock })],
  });
  const rigs = () => service.configuredRigs().map((r) => [r.rig, r.sources.map((s) => s.id)]);
  return { config, lines, service, rigs, deps: { service, env: {} } };
}

test('rigs, sources and thresholds change live; http and sinks are kept and said to need a restart', async () => {
  const h = harness();
  writeFileSync(
    file,
    yaml({ port: 9999, rigs: ['a', 'c'], thresholdsA: '{min_samples: 12}', prometheus: false }),
  );
  const out = await reloadFromFile(file, h.config, h.deps);
  assert.equal(out.ok, true);
  assert.deepEqual(out.needsRestart, ['http', 'sinks.prometheus']);
  assert.deepEqual(out.applied?.rigsAdded, ['c']);
  assert.deepEqual(out.applied?.rigsRemoved, ['b']);
  assert.deepEqual(out.applied?.scorersRebuilt, ['a']);
  assert.deepEqual(h.rigs(), [
    ['a', ['a/cgminer']],
    ['c', ['c/cgminer']],
  ]);
  assert.deepEqual(out.config.http, h.config.http, 'the HTTP server stays as it is');
  assert.deepEqual(out.config.sinks, h.config.sinks);
  assert.deepEqual(
    out.config.rigs.map((r) => r.name),
    ['a', 'c'],
  );
  const restart = h.lines.find((l) => l.code === 'config_needs_restart');
  assert.deepEqual(restart?.parts, ['http', 'sinks.prometheus']);
  assert.equal(restart?.level, 40);
  const reloaded = h.lines.find((l) => l.code === 'config_reloaded');
  assert.equal(reloaded?.msg, 'Configuration reloaded.');
  assert.deepEqual(reloaded?.rigs_added, ['c']);
  assert.deepEqual(reloaded?.scorers_rebuilt, ['a']);

  // The same file again: nothing changes, but the restart is still needed and still said.
  const again = await reloadFromFile(file, out.config, h.deps);
  assert.deepEqual(again.needsRestart, ['http', 'sinks.prometheus']);
  assert.deepEqual(again.applied?.scorersRebuilt, []);
  assert.equal(again.applied?.sourcesStarted, 0);
  await h.service.stop();
});

test('a bad file is logged with file:line:column and the running configuration stays', async () => {
  const h = harness();
  writeFileSync(file, `${yaml({ rigs: ['a', 'b', 'c'] })}bogus: 1\n`);
  const out = await reloadFromFile(file, h.config, h.deps);
  assert.equal(out.ok, false);
  assert.equal(out.error?.code, 'RT_CONFIG_INVALID');
  assert.equal(out.config, h.config);
  assert.deepEqual(
    h.rigs().map(([r]) => r),
    ['a', 'b'],
  );
  const line = h.lines.find((l) => l.level === 50);
  assert.ok(line !== undefined);
  assert.equal(line.msg, 'Configuration reload failed; the running configuration is kept.');
  assert.equal(line.file, file);
  assert.equal(line.line, 13);
  assert.equal(line.column, 1);
  assert.match(String((line.err as { message: string }).message), /rigtune\.yaml:13:1: bogus/);

  const missing = await reloadFromFile(join(dir, 'nope.yaml'), h.config, h.deps);
  assert.equal(missing.error?.code, 'RT_INPUT_NOT_FOUND');
  assert.equal(h.lines.filter((l) => l.level === 50).length, 2, 'each failed reload is logged');
  await h.service.stop();
});

test('adjust re-applies command-line overrides before the comparison', async () => {
  const h = harness();
  writeFileSync(file, yaml({ port: 8123, rigs: ['a', 'b'] }));
  const out = await reloadFromFile(file, h.config, {
    ...h.deps,
    adjust: (c) => ({ ...c, http: { ...c.http, port: 0 } }),
  });
  assert.deepEqual(out.needsRestart, []);
  assert.equal(out.diff?.isEmpty, true);
  await h.service.stop();
});

test('advisory thresholds and autotune change live without rebuilding the scorer', async () => {
  const h = harness();
  writeFileSync(file, yaml({ rigs: ['a', 'b'], thresholdsA: '{advisory: {persist_ticks: 7}}' }));
  const out = await reloadFromFile(file, h.config, h.deps);
  assert.deepEqual(out.diff?.rigsChanged, [{ name: 'a', parts: ['advisory'] }]);
  assert.deepEqual(out.applied?.scorersRebuilt, [], 'advice options are not scorer options');
  const [a, b] = serviceRigs(out.config, {});
  assert.equal(a.advisory?.persist_ticks, 7);
  assert.equal(b.advisory?.persist_ticks, 3);
  assert.equal(a.autotune, 'advise');
  const reloaded = h.lines.findLast((l) => l.code === 'config_reloaded');
  assert.deepEqual(reloaded?.rigs_changed, ['a:advisory']);
  await h.service.stop();
});
