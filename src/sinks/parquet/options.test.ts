// The Parquet sink's options: example.yaml validates, defaults fill in, unknown keys and bad values
// are RT_CONFIG_INVALID naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import pino from 'pino';
import { parse } from 'yaml';
import { ManualClock } from '../../../test/helpers/parquet-batches.ts';
import { isRigtuneError } from '../../core/errors.ts';
import { create, kind, optionsSchema } from './index.ts';

const deps = { clock: new ManualClock(0), logger: pino({ level: 'silent' }) };

test('example.yaml parses and validates', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const options = optionsSchema.parse(parse(text));
  assert.equal(options.data_dir, './data');
  assert.equal(options.max_total_bytes, 53687091200);
  assert.equal(kind, 'parquet');
});

test('defaults fill every option', () => {
  assert.deepEqual(optionsSchema.parse({}), {
    data_dir: './data',
    max_file_rows: 250_000,
    max_buffer_bytes: 64 * 1024 * 1024,
    max_file_age_ms: 300_000,
    row_group_rows: 10_000,
    compression: 'snappy',
    retention_days: 30,
    max_total_bytes: null,
    events: true,
    max_pending_rows: 2_000_000,
  });
});

test('unknown keys and bad values are RT_CONFIG_INVALID naming the option', () => {
  for (const [input, field] of [
    [{ data_dir: './d', flush_ms: 5 }, 'parquet'],
    [{ max_file_rows: 0 }, 'parquet.max_file_rows'],
    [{ compression: 'zstd' }, 'parquet.compression'],
    [{ retention_days: -1 }, 'parquet.retention_days'],
  ] as const) {
    assert.throws(
      () => create(input as never, deps),
      (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && err.where.field === field,
      JSON.stringify(input),
    );
  }
});
