// redactConfig: environment values shown as their reference, URL passwords and secret-looking keys
// hidden, nothing else changed; safe for any Config.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfigText } from './parse.ts';
import { REDACTED, redactConfig, redactUrl } from './redact.ts';

const ENV = {
  TOKEN: 'api-s3cret-0123456789',
  VK: 'redis://u:vk-s3cret@10.0.0.5:6379',
  PW: 'pw-s3cret',
  HOST: 'miner-7',
};

const TEXT = `
http: {token_env: TOKEN}
sinks: {valkey: {url_env: VK}}
rigs:
  - name: a
    sources:
      - kind: http-json
        url: "https://user:\${ENV:PW}@pool.example/api"
        headers: {X-Api-Key: literal-s3cret, Accept: application/json, X-Other: {env: HOST}}
        mappings: [{path: $.h, field: hashrate_1m}]
      - kind: cgminer
        host: "\${ENV:HOST}"
`;

test('no secret value survives; references and plain values do', () => {
  const config = parseConfigText(TEXT, 'rigtune.yaml', ENV);
  assert.equal(config.control.token, 'api-s3cret-0123456789');
  const printed = JSON.stringify(redactConfig(config));
  assert.doesNotMatch(printed, /s3cret/);
  const r = redactConfig(config) as {
    control: { token: string; tokenEnv: string };
    sinks: { valkey: { url: string } };
    rigs: { sources: { options: Record<string, unknown> }[] }[];
  };
  assert.equal(r.control.token, '${ENV:TOKEN}');
  assert.equal(r.control.tokenEnv, 'TOKEN');
  assert.equal(r.sinks.valkey.url, '${ENV:VK}');
  const [json, cg] = r.rigs[0].sources;
  assert.equal(json.options.url, 'https://user:[redacted]@pool.example/api');
  assert.deepEqual(json.options.headers, {
    'X-Api-Key': REDACTED,
    Accept: 'application/json',
    'X-Other': { env: 'HOST' },
  });
  assert.equal(cg.options.host, '${ENV:HOST}');
  const source = config.rigs[0].sources[1];
  assert.ok(source.kind === 'cgminer' && source.options.host === 'miner-7'); // the Config is untouched
});

test('URL passwords in literal values are hidden', () => {
  assert.equal(redactUrl('redis://:pw@h:1/0'), 'redis://:[redacted]@h:1/0');
  assert.equal(redactUrl('redis://user:pw@h'), 'redis://user:[redacted]@h');
  assert.equal(redactUrl('redis://h:6379'), 'redis://h:6379');
  assert.equal(redactUrl('http://user@h'), 'http://user@h');
  const config = parseConfigText(
    'sinks: {valkey: {url: "redis://:hunter2@10.0.0.1:6379"}}\nrigs: [{name: a, sources: [{kind: nvml}]}]\n',
    'f',
    {},
  );
  assert.doesNotMatch(JSON.stringify(redactConfig(config)), /hunter2/);
});
