// `rigtune worker`'s flags: each bad value is refused with RT_CLI_USAGE naming the flag (a URL never
// echoed), defaults fill the rest, and --help lists every flag; the binary exits 1 with the message.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RigtuneError } from '../core/errors.ts';
import { DEFAULT_WORKER_OPTIONS } from '../runtime/scale/index.ts';
import { intFlag, valkeyUrlFlag, valkeyUrlsFlag, workerCommand, workerRoleOptions } from './worker.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));

const usage = (field: string, pattern: RegExp) => (err: unknown) =>
  err instanceof RigtuneError &&
  err.code === 'RT_CLI_USAGE' &&
  err.where.field === field &&
  pattern.test(err.message);

test('flags become the role options; absent ones take the defaults', () => {
  const o = workerRoleOptions({ valkey: 'valkey://127.0.0.1:6379', host: '127.0.0.1' }, 'host-1');
  assert.deepEqual(o, {
    urls: ['valkey://127.0.0.1:6379'],
    metricsHost: '127.0.0.1',
    metricsPort: null,
    worker: { ...DEFAULT_WORKER_OPTIONS, id: 'host-1', partitions: null },
  });
  const set = workerRoleOptions(
    {
      valkey: 'redis://h:1',
      host: '0.0.0.0',
      id: 'w1',
      partitions: '8',
      port: '0',
      leaseTtlMs: '600',
      rebuildMs: '0',
      blockMs: '50',
    },
    'unused',
  );
  assert.equal(set.metricsPort, 0);
  assert.deepEqual(
    {
      id: set.worker.id,
      p: set.worker.partitions,
      ttl: set.worker.leaseTtlMs,
      r: set.worker.rebuildMs,
      b: set.worker.blockMs,
    },
    { id: 'w1', p: 8, ttl: 600, r: 0, b: 50 },
  );
});

test('bad values are refused, naming the flag', () => {
  const base = { valkey: 'redis://h:1', host: '127.0.0.1' };
  assert.throws(
    () => workerRoleOptions({ ...base, partitions: '0' }, 'w'),
    usage('partitions', /≥ 1, got 0/),
  );
  assert.throws(() => workerRoleOptions({ ...base, partitions: '2.5' }, 'w'), usage('partitions', /integer/));
  assert.throws(() => workerRoleOptions({ ...base, partitions: '1e3' }, 'w'), usage('partitions', /integer/));
  assert.throws(() => workerRoleOptions({ ...base, leaseTtlMs: '10' }, 'w'), usage('lease-ttl-ms', /≥ 30/));
  assert.throws(() => workerRoleOptions({ ...base, rebuildMs: '-1' }, 'w'), usage('rebuild-ms', /≥ 0/));
  assert.throws(() => workerRoleOptions({ ...base, blockMs: 'soon' }, 'w'), usage('block-ms', /got soon/));
  assert.throws(() => workerRoleOptions({ ...base, port: '70000' }, 'w'), usage('port', /0\.\.65535/));
  assert.throws(() => workerRoleOptions({ ...base, id: 'bad id' }, 'w'), usage('id', /got bad id/));
  assert.throws(() => workerRoleOptions(base, 'w/1'), usage('id', /A-Z a-z 0-9/));
  assert.equal(intFlag('x', undefined, 0), undefined);
});

test('a URL that is not redis/valkey is refused without echoing it (it may hold a password)', () => {
  for (const url of ['http://h:1', 'redis://', 'h:6379', 'redis://user:s3cret@ho st:1']) {
    assert.throws(
      () => valkeyUrlFlag(url),
      (err: unknown) => {
        assert.ok(usage('valkey', /redis:\/\/, rediss:\/\//)(err));
        assert.ok(!(err as Error).message.includes('s3cret'));
        return true;
      },
    );
  }
  assert.equal(valkeyUrlFlag('rediss://user:pw@h:6380/0'), 'rediss://user:pw@h:6380/0');
});

test('--help names every flag with its default', () => {
  const help = workerCommand().helpInformation();
  for (const flag of [
    '--valkey <url>',
    '--id',
    '--partitions',
    '--port',
    '--host',
    '--lease-ttl-ms',
    '--rebuild-ms',
    '--block-ms',
  ])
    assert.ok(help.includes(flag), flag);
  assert.match(help, /default 3000/);
  assert.match(help, /advice/);
});

test('the binary exits 1 with the message on a bad flag, before connecting anywhere', () => {
  const r = spawnSync(BIN, ['worker', '--valkey', 'redis://127.0.0.1:1', '--partitions', 'x'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--partitions: expected an integer ≥ 1, got x \[RT_CLI_USAGE\]/);
  const missing = spawnSync(BIN, ['worker'], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /required option '--valkey <url>'/);
});

test('several comma-separated URLs are the seed nodes of a cluster; each is checked', () => {
  assert.deepEqual(valkeyUrlsFlag('redis://a:7000, redis://b:7001,'), ['redis://a:7000', 'redis://b:7001']);
  assert.deepEqual(valkeyUrlsFlag('redis://a:6379'), ['redis://a:6379']);
  assert.throws(() => valkeyUrlsFlag(' , '), /--valkey: expected a URL/);
  assert.throws(
    () => valkeyUrlsFlag('redis://a:7000,http://user:secret@b'),
    (err: unknown) => err instanceof RigtuneError && !err.message.includes('secret'),
  );
  const o = workerRoleOptions({ valkey: 'redis://a:7000,redis://b:7001', host: '127.0.0.1' }, 'w1');
  assert.deepEqual(o.urls, ['redis://a:7000', 'redis://b:7001']);
});

test('--stream-max-len bounds the result streams (at least 100 entries)', () => {
  const o = workerRoleOptions({ valkey: 'redis://a:6379', host: '127.0.0.1', streamMaxLen: '600' }, 'w1');
  assert.equal(o.worker.streamMaxLen, 600);
  assert.throws(
    () => workerRoleOptions({ valkey: 'redis://a:6379', host: '127.0.0.1', streamMaxLen: '10' }, 'w1'),
    /--stream-max-len/,
  );
});
