// `rigtune collect`'s flags: the URL from --valkey or the site file's sinks.valkey, the collector id and
// partition count checked with RT_CLI_USAGE naming the flag, the spool under data_dir; --help text.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RigtuneError } from '../core/errors.ts';
import { collectCommand, collectorOptions } from './collect.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));
const usage = (field: string, pattern: RegExp) => (err: unknown) =>
  err instanceof RigtuneError &&
  err.code === 'RT_CLI_USAGE' &&
  err.where.field === field &&
  pattern.test(err.message);

const site = (url?: string) =>
  ({
    dataDir: '/var/lib/rigtune',
    sinks: { valkey: url === undefined ? undefined : { url } },
  }) as unknown as Parameters<typeof collectorOptions>[1];

test('the URL comes from --valkey, else the file; the spool lives under data_dir', () => {
  assert.deepEqual(collectorOptions({ config: 'site.yaml' }, site('redis://file:1'), 'host-a'), {
    urls: ['redis://file:1'],
    writer: { collector_id: 'host-a', partitions: 16, spool_dir: '/var/lib/rigtune/spool/collect' },
  });
  const o = collectorOptions(
    { config: 'site.yaml', valkey: 'valkey://flag:2', id: 'site-b', partitions: '32', spool: '/tmp/s' },
    site('redis://file:1'),
    'host-a',
  );
  assert.deepEqual(o, {
    urls: ['valkey://flag:2'],
    writer: { collector_id: 'site-b', partitions: 32, spool_dir: '/tmp/s' },
  });
});

test('no URL, a bad URL, id or partition count is refused, naming the flag', () => {
  assert.throws(() => collectorOptions({ config: 'x' }, site(), 'h'), usage('valkey', /no URL given/));
  assert.throws(
    () => collectorOptions({ config: 'x', valkey: 'http://h:1' }, site(), 'h'),
    usage('valkey', /expected a redis/),
  );
  assert.throws(
    () => collectorOptions({ config: 'x', id: '-x' }, site('redis://h:1'), 'h'),
    usage('id', /got -x/),
  );
  assert.throws(
    () => collectorOptions({ config: 'x', partitions: '0' }, site('redis://h:1'), 'h'),
    usage('partitions', /≥ 1/),
  );
  assert.throws(
    () => collectorOptions({ config: 'x', partitions: 'many' }, site('redis://h:1'), 'h'),
    usage('partitions', /got many/),
  );
});

test('--help names every flag', () => {
  const help = collectCommand().helpInformation();
  for (const flag of [
    '-c, --config <file>',
    '--valkey <url>',
    '--id <name>',
    '--partitions <n>',
    '--spool <dir>',
  ])
    assert.ok(help.includes(flag), flag);
  assert.match(help, /telemetry:snapshots:\{p\}/);
});

test('the binary exits 1 with the message: no Valkey URL in flags or file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-cli-collect-'));
  try {
    const file = join(dir, 'site.yaml');
    writeFileSync(
      file,
      `data_dir: ${dir}\nrigs:\n  - name: s19\n    sources:\n      - {kind: cgminer, host: 127.0.0.1, port: 1}\n`,
    );
    const r = spawnSync(BIN, ['collect', '--config', file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--valkey: no URL given and the file has no sinks\.valkey \[RT_CLI_USAGE\]/);
    const bad = spawnSync(
      BIN,
      ['collect', '--config', file, '--valkey', 'redis://h:1', '--partitions', '-3'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--partitions: expected an integer ≥ 1, got -3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
