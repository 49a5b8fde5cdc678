// Tests of the audit sink's options: example.yaml parses and validates, defaults are as documented,
// unknown keys and bad values are RT_CONFIG_INVALID naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import pino from 'pino';
import { parse } from 'yaml';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { isRigtuneError } from '../../core/errors.ts';
import { create, optionsSchema } from './index.ts';

test('example.yaml parses and validates', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const options = optionsSchema.parse(parse(text));
  assert.equal(options.dir, './data/audit');
  assert.equal(options.rotate_at_utc_midnight, true);
});

test('defaults', () => {
  assert.deepEqual(optionsSchema.parse({}), {
    dir: './data/audit',
    max_file_bytes: 67_108_864,
    max_file_age_ms: 86_400_000,
    rotate_at_utc_midnight: true,
    retention_days: 90,
    retention_files: null,
    fsync_interval_ms: 1000,
    fsync_max_bytes: 1_048_576,
    fsync_max_records: 1000,
    max_queued_records: 200_000,
  });
});

test('unknown keys and bad values are RT_CONFIG_INVALID naming the option', () => {
  const deps = { clock: new FakeClock(), logger: pino({ level: 'silent' }) };
  assert.throws(
    () => create({ dir: 'x', fsync_every: 1 } as never, deps),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'audit',
  );
  assert.throws(
    () => create({ max_file_bytes: 10 }, deps),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'audit.max_file_bytes',
  );
});
