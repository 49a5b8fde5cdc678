// The Valkey check against a real redis-server (version, PING, scratch key), a closed port, a server
// that never answers, and a password the URL lacks or gets wrong — each said in plain words.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import { type RawTcpServer, startRawTcpServer } from '../../../test/fakes/raw-tcp-server.ts';
import {
  freePort,
  hasRedisServer,
  type RedisServer,
  startRedis,
} from '../../../test/helpers/redis-server.ts';
import { checkValkey, endpointOf } from './valkey.ts';

const skip = hasRedisServer() ? false : 'redis-server is not installed';
let redis: RedisServer | null = null;
let silent: RawTcpServer;

before(async () => {
  if (!skip) redis = await startRedis();
  silent = await startRawTcpServer(() => {
    // Accepts and never answers.
  });
});
after(async () => {
  await redis?.stop();
  await silent.close();
});

test('a running server: ok with its version, PING latency and the scratch-key round trip', {
  skip,
}, async () => {
  const server = redis as RedisServer;
  const r = await checkValkey(server.url, { timeoutMs: 2000 });
  assert.equal(r.status, 'ok', r.message);
  assert.match(
    r.message,
    /^(redis|valkey) \d+\.\d+\.\d+ at 127\.0\.0\.1:\d+: PING [\d.]+ ms, scratch key written, read back and deleted$/,
  );
  assert.equal(typeof r.details?.ping_ms, 'number');
  const client = createClient({ url: server.url });
  await client.connect();
  assert.deepEqual(await client.keys('rigtune:doctor:*'), [], 'the scratch key is gone');
  await client.configSet('requirepass', 's3cret');
  client.destroy();
  const noPassword = await checkValkey(server.url, { timeoutMs: 2000 });
  assert.equal(noPassword.status, 'fail');
  assert.match(noPassword.message, /needs a password: put it in the URL/);
  const wrong = await checkValkey(`redis://:nope@127.0.0.1:${server.port}`, { timeoutMs: 2000 });
  assert.equal(wrong.status, 'fail');
  assert.match(wrong.message, /^authentication failed at 127\.0\.0\.1:\d+: the user or password/);
  assert.doesNotMatch(wrong.message, /nope/, 'never the password');
  const right = await checkValkey(`redis://:s3cret@127.0.0.1:${server.port}`, { timeoutMs: 2000 });
  assert.equal(right.status, 'ok', right.message);
});

test('a closed port: connection refused, is it running?', async () => {
  const port = await freePort();
  const r = await checkValkey(`redis://127.0.0.1:${port}`, { timeoutMs: 2000 });
  assert.equal(r.status, 'fail');
  assert.equal(
    r.message,
    `connection refused at 127.0.0.1:${port}: is Valkey (or redis-server) running and listening there? ` +
      '(until it can write, the service spools results under data_dir)',
  );
});

test('a server that never answers: no answer within the timeout', async () => {
  const r = await checkValkey(`redis://127.0.0.1:${silent.port}`, { timeoutMs: 100 });
  assert.equal(r.status, 'fail');
  assert.match(r.message, /^no answer from 127\.0\.0\.1:\d+ within 100 ms/);
});

test('endpoints never show credentials', () => {
  assert.equal(endpointOf('redis://user:pw@cache.lan:6380/0'), 'cache.lan:6380');
  assert.equal(endpointOf('valkey://cache.lan'), 'cache.lan:6379');
});
