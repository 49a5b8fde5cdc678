import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { RigtuneError } from '../../core/errors.ts';
import { create } from './index.ts';
import { StreamWriterOptionsSchema } from './options.ts';

test('defaults apply and unknown keys are errors', () => {
  const o = StreamWriterOptionsSchema.parse({ collector_id: 'site-a' });
  assert.equal(o.partitions, 16);
  assert.equal(o.key_prefix, 'telemetry');
  assert.equal(StreamWriterOptionsSchema.safeParse({ collector_id: 'site-a', extra: 1 }).success, false);
  assert.equal(StreamWriterOptionsSchema.safeParse({ collector_id: 'bad id' }).success, false);
});

test('create names the bad option', () => {
  const port = {
    isReady: false,
    runScript: async () => null,
    command: async () => null,
    waitReady: async () => undefined,
  };
  assert.throws(
    () => create({ collector_id: 'a', partitions: 0 }, { port, logger: pino({ level: 'silent' }) }),
    (e: unknown) =>
      e instanceof RigtuneError &&
      e.code === 'RT_CONFIG_INVALID' &&
      e.message.startsWith('valkey-streams.partitions'),
  );
});
