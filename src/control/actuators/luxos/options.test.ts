// The luxos actuator options: example.yaml parses and validates, defaults are as documented, unknown
// keys and out-of-range values are configuration errors naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../../core/errors.ts';
import { create, kind, optionsSchema } from './index.ts';

test('example.yaml is a valid configuration', () => {
  const doc = parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8'));
  assert.deepEqual(optionsSchema.parse(doc), {
    host: '192.168.1.70',
    port: 4028,
    timeout_ms: 3000,
    profile_scope: 'machine',
  });
  const driver = create(doc, { rig: 'r' });
  assert.equal(driver.kind, kind);
  assert.equal(driver.rig, 'r');
});

test('defaults: port 4028, 3 s timeout, machine-wide profiles', () => {
  assert.deepEqual(optionsSchema.parse({ host: 'm' }), {
    host: 'm',
    port: 4028,
    timeout_ms: 3000,
    profile_scope: 'machine',
  });
});

test('bad options are RT_CONFIG_INVALID naming the field', () => {
  const bad: [object, RegExp][] = [
    [{ host: 'm', session: 'x' }, /luxos: .*session/],
    [{ host: '' }, /luxos\.host/],
    [{ host: 'm', port: 0 }, /luxos\.port/],
    [{ host: 'm', profile_scope: 'chip' }, /luxos\.profile_scope/],
    [{ host: 'm', timeout_ms: 5 }, /luxos\.timeout_ms/],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => create(options as never, { rig: 'r' }),
      (e: unknown) => isRigtuneError(e, 'RT_CONFIG_INVALID') && message.test(e.message),
      JSON.stringify(options),
    );
});
