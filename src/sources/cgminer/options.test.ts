// The options schema: example.yaml parses and validates, defaults are as documented, unknown keys
// and out-of-range values are configuration errors naming the option.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { isRigtuneError } from '../../core/errors.ts';
import { create, optionsSchema } from './index.ts';

test('example.yaml is a valid configuration', () => {
  const doc = parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8'));
  const options = optionsSchema.parse(doc);
  assert.equal(options.host, '192.168.1.50');
  assert.equal(options.pools, true);
});

test('defaults: port 4028, auto dialect, 3 s timeout, 2 retries', () => {
  assert.deepEqual(optionsSchema.parse({ host: 'm1' }), {
    host: 'm1',
    port: 4028,
    dialect: 'auto',
    timeout_ms: 3000,
    retries: 2,
    backoff_ms: 250,
    backoff_max_ms: 2000,
    interval_ms: 10000,
    multi_command: true,
    json_framing: true,
    pools: false,
    max_reply_bytes: 4194304,
  });
});

test('unknown keys and bad values are RT_CONFIG_INVALID naming the option', () => {
  const bad: [object, RegExp][] = [
    [{ host: 'm', prot: 4028 }, /cgminer: .*prot/],
    [{ host: 'm', port: 70000 }, /cgminer\.port/],
    [{ host: 'm', dialect: 'avalon' }, /cgminer\.dialect/],
    [{ host: '' }, /cgminer\.host/],
    [{ host: 'm', retries: -1 }, /cgminer\.retries/],
  ];
  for (const [options, message] of bad)
    assert.throws(
      () => create(options as never, { rig: 'r' }),
      (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && message.test(err.message),
      JSON.stringify(options),
    );
  assert.equal(create({ host: 'm', rig: 'rack-3' }, { rig: 'r' }).rig, 'rack-3');
});
