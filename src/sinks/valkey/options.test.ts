// The Valkey sink's options: example.yaml validates, defaults fill in, the URL comes from `url` or the
// variable named by `url_env`, and bad values are RT_CONFIG_INVALID naming the option (never the URL).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { parse } from 'yaml';
import { isRigtuneError } from '../../core/errors.ts';
import { create, kind, optionsSchema } from './index.ts';

const logger = pino({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'rigtune-valkey-options-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('example.yaml parses and validates', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const options = optionsSchema.parse(parse(text));
  assert.equal(options.url_env, 'VALKEY_URL');
  assert.equal(options.stream_max_len, 20_000);
  assert.equal(kind, 'valkey');
});

test('defaults fill every option but the URL', () => {
  assert.deepEqual(optionsSchema.parse({ url: 'redis://h:6379' }), {
    url: 'redis://h:6379',
    key_prefix: 'telemetry',
    stream_max_len: 20_000,
    spool_dir: './data/spool/valkey',
    spool_max_bytes: 1 << 30,
    spool_segment_bytes: 8 << 20,
    spool_fsync_interval_ms: 1000,
    spool_fsync_max_records: 1000,
    queue_max_bytes: 32 << 20,
    pipeline_max_batches: 256,
    connect_timeout_ms: 2000,
    command_timeout_ms: 2000,
    reconnect_max_ms: 5000,
    close_timeout_ms: 5000,
  });
});

test('the URL comes from url_env when url is absent (the config layer passes url_env: null)', async () => {
  const spool_dir = join(root, 'a');
  const env = { VK: 'valkey://127.0.0.1:1' };
  const sink = create({ url_env: 'VK', spool_dir, close_timeout_ms: 0 }, { logger, env });
  assert.equal(sink.health().ok, false);
  await sink.close();
  const resolved = create(
    { url: 'redis://127.0.0.1:1', url_env: null, spool_dir, close_timeout_ms: 0 },
    { logger },
  );
  await resolved.close();
});

test('missing or bad URLs and bad values are RT_CONFIG_INVALID naming the option', () => {
  const secret = 'redis://:hunter2@';
  for (const [input, env, field] of [
    [{}, {}, 'valkey'],
    [{ url_env: 'VK' }, {}, 'valkey.url_env'],
    [{ url_env: 'VK' }, { VK: 'http://x' }, 'valkey.url_env'],
    [{ url_env: 'VK' }, { VK: secret }, 'valkey.url_env'],
    [{ url: 'http://x' }, {}, 'valkey.url'],
    [{ url: 'redis://x', pool: 3 }, {}, 'valkey'],
    [{ url: 'redis://x', stream_max_len: 5 }, {}, 'valkey.stream_max_len'],
    [{ url: 'redis://x', key_prefix: 'a b' }, {}, 'valkey.key_prefix'],
    [{ url: 'redis://x', command_timeout_ms: 0 }, {}, 'valkey.command_timeout_ms'],
  ] as const) {
    assert.throws(
      () => create(input as never, { logger, env }),
      (err) =>
        isRigtuneError(err, 'RT_CONFIG_INVALID') &&
        err.where.field === field &&
        !err.message.includes('hunter2'),
      JSON.stringify(input),
    );
  }
});
