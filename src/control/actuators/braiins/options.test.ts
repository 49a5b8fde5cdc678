// The braiins actuator options: example.yaml parses and validates, defaults are as documented, bad
// values and an unset password variable are configuration errors naming the option, never a value.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../../core/errors.ts';
import { create, kind, optionsSchema } from './index.ts';

test('example.yaml is a valid configuration', () => {
  const doc = parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8'));
  const options = optionsSchema.parse(doc);
  assert.equal(options.url, 'http://192.168.1.60');
  assert.deepEqual(options.password, { env: 'BOS_PASSWORD' });
  assert.deepEqual(options.power_target_bounds_w, { min: 2800, max: 3600 });
  const driver = create(doc, { rig: 'r', env: { BOS_PASSWORD: 'pw' } });
  assert.equal(driver.kind, kind);
  assert.equal(driver.rig, 'r');
});

test('defaults: user root, 5 s timeout, certificates verified', () => {
  assert.deepEqual(optionsSchema.parse({ url: 'http://m' }), {
    url: 'http://m',
    username: 'root',
    timeout_ms: 5000,
    reject_unauthorized: true,
  });
});

test('bad options and an unset password variable are RT_CONFIG_INVALID naming the field', () => {
  const bad: [object, RegExp][] = [
    [{ url: 'http://m', pasword: { env: 'X' } }, /braiins: .*pasword/],
    [{ url: 'ftp://m' }, /braiins\.url/],
    [{ url: 'http://m', password: 'plain-text' }, /braiins\.password/],
    [{ url: 'http://m', timeout_ms: 1 }, /braiins\.timeout_ms/],
    [{ url: 'http://m', power_target_bounds_w: { min: 4000, max: 3000 } }, /braiins\.power_target_bounds_w/],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => create(options as never, { rig: 'r' }),
      (e: unknown) => isRigtuneError(e, 'RT_CONFIG_INVALID') && message.test(e.message),
      JSON.stringify(options),
    );
  assert.throws(
    () => create({ url: 'http://m', password: { env: 'BOS_PW' } }, { rig: 'r', env: {} }),
    (e: unknown) => isRigtuneError(e, 'RT_CONFIG_INVALID') && /BOS_PW is not set/.test(e.message),
  );
});
