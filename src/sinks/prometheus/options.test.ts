// Tests of the Prometheus sink's options: example.yaml parses and validates, defaults are as
// documented, unknown keys and bad values are RT_CONFIG_INVALID naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../core/errors.ts';
import { create, optionsSchema } from './index.ts';

test('example.yaml parses and validates', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  assert.deepEqual(optionsSchema.parse(parse(text)), optionsSchema.parse({}));
});

test('defaults', () => {
  assert.deepEqual(optionsSchema.parse({}), {
    stale_after_ms: 300_000,
    max_devices: 20_000,
    process_metrics: true,
    render_slice_ms: 10,
  });
});

test('unknown keys and bad values are RT_CONFIG_INVALID naming the option', () => {
  const deps = { clock: { nowMs: () => 0 } };
  assert.throws(
    () => create({ port: 9100 } as never, deps),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'prometheus',
  );
  assert.throws(
    () => create({ render_slice_ms: 500 }, deps),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && e.where.field === 'prometheus.render_slice_ms',
  );
});
