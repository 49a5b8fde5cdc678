// The lease scripts on a real redis-server with real short ttls: acquire once, renew only while held,
// expire when not renewed, then another worker takes it; the membership heartbeat drops the silent.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HEARTBEAT_SCRIPT,
  openValkey,
  RELEASE_SCRIPT,
  RENEW_SCRIPT,
  type ValkeyPort,
} from '../../src/runtime/scale/index.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
let redis: RedisServer;
let port: ValkeyPort;

before(async () => {
  if (skip) return;
  redis = await startRedis();
  port = openValkey({ urls: [redis.url] });
  await port.waitReady(AbortSignal.timeout(5000));
});
after(async () => {
  await port?.close();
  await redis?.stop();
});

test('acquire, renew, expire, steal, release', { skip }, async () => {
  const key = 'rigtune:lease:{0}';
  const set = (who: string) => port.command(key, ['SET', key, who, 'NX', 'PX', '200']);
  assert.equal(await set('a/1'), 'OK');
  assert.equal(await set('b/1'), null, 'held: b cannot take it');
  assert.equal(await port.runScript(RENEW_SCRIPT, [key], ['a/1', '200']), 1);
  assert.equal(await port.runScript(RENEW_SCRIPT, [key], ['b/1', '200']), 0, 'only the holder renews');
  assert.equal(await port.runScript(RELEASE_SCRIPT, [key], ['b/1']), 0, 'only the holder releases');
  // a stops renewing: the server lets the lease go after its ttl, and b takes it.
  await waitUntil(async () => (await set('b/1')) === 'OK', 'the lease expired and b took it');
  assert.equal(await port.runScript(RENEW_SCRIPT, [key], ['a/1', '200']), 0, 'a lost it');
  assert.equal(await port.runScript(RELEASE_SCRIPT, [key], ['b/1']), 1);
  assert.equal(await port.command(key, ['GET', key]), null);
});

test('the heartbeat lists live workers and drops silent ones after their ttl', { skip }, async () => {
  const beat = (who: string, ttl: number, join = '1') =>
    port.runScript(HEARTBEAT_SCRIPT, ['rigtune:workers'], [who, String(ttl), join]);
  assert.deepEqual(await beat('a/1', 150), ['a/1']);
  assert.deepEqual([...((await beat('b/1', 60_000)) as string[])].sort(), ['a/1', 'b/1']);
  await waitUntil(async () => ((await beat('b/1', 60_000)) as string[]).join() === 'b/1', 'a expired');
  assert.deepEqual(await beat('b/1', 60_000, '0'), [], 'b left');
});
