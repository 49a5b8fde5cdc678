// The xmrig source end to end over a real socket: a fake XMRig on 127.0.0.1 serves the fixtures; the
// source sends the bearer token, survives a missing /2/backends and fails clearly on HTML or a hang.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import {
  type FakeHttpServer,
  fixtureRoute,
  startFakeHttpServer,
} from '../../../test/fakes/http-miner-server.ts';
import { pollCollector } from '../../../test/helpers/poll-collector.ts';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import { create, kind, optionsSchema } from './index.ts';

const fixture = (name: string) => new URL(`./fixtures/6.17.1-dev/${name}.json`, import.meta.url);
let server: FakeHttpServer;

before(async () => {
  server = await startFakeHttpServer({
    '/2/summary': fixtureRoute(fixture('summary')),
    '/2/backends': fixtureRoute(fixture('backends')),
    '/proxy/2/summary': fixtureRoute(fixture('summary')),
    '/html/2/summary': { kind: 'text', status: 200, contentType: 'text/html', body: '<html>login</html>' },
    '/hang/2/summary': { kind: 'hang' },
  });
});
after(() => server.close());

const fast = { timeout_ms: 150, connect_timeout_ms: 150 };

test('a poll emits total, cpu and GPU snapshots and sends the token', async () => {
  const warnings: string[] = [];
  const source = create(
    { url: server.url, token: { env: 'XMRIG_TOKEN' }, ...fast },
    { rig: 'rig-a', env: { XMRIG_TOKEN: 'tok' }, warn: (m) => void warnings.push(m) },
  );
  assert.equal(source.kind, kind);
  assert.equal(source.rig, 'rig-a');
  const ctx = pollCollector(42);
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => s.device),
    ['total', 'cpu', '0000:01:00.0'],
  );
  assert.equal(ctx.device('total').hashrate_5s, 1207.19);
  assert.equal(ctx.device('0000:01:00.0').power_w, 161);
  assert.equal(ctx.snapshots[0].ts, 42);
  assert.equal(ctx.rawOf('total', 'version'), '6.17.1-dev');
  assert.deepEqual(warnings, []);
  const sent = server.requests.filter((r) => r.url.startsWith('/2/'));
  assert.deepEqual(
    sent.map((r) => [r.url, r.headers.authorization]),
    [
      ['/2/summary', 'Bearer tok'],
      ['/2/backends', 'Bearer tok'],
    ],
  );
  assert.equal(source.devices?.().length, 3);
  await source.close();
});

test('a missing /2/backends still yields the total, with a warning', async () => {
  const warnings: string[] = [];
  const source = create(
    { url: `${server.url}/proxy/`, ...fast },
    { rig: 'r', warn: (m) => void warnings.push(m) },
  );
  const ctx = pollCollector();
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => s.device),
    ['total'],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /\/2\/backends unavailable.*HTTP 404/);
});

test('backends: false reads only the summary', async () => {
  const before = server.requests.length;
  const source = create({ url: server.url, backends: false, ...fast }, { rig: 'r' });
  await source.poll(pollCollector());
  assert.deepEqual(
    server.requests.slice(before).map((r) => r.url),
    ['/2/summary'],
  );
});

test('HTML instead of JSON → protocol; a hung API → timeout; nothing emitted', async () => {
  const ctx = pollCollector();
  await assert.rejects(
    create({ url: `${server.url}/html`, ...fast }, { rig: 'r' }).poll(ctx),
    (e) => e instanceof SourceError && e.kind === 'protocol',
  );
  await assert.rejects(
    create({ url: `${server.url}/hang`, ...fast }, { rig: 'r' }).poll(ctx),
    (e) => e instanceof SourceError && e.kind === 'timeout',
  );
  assert.equal(ctx.snapshots.length, 0);
});

test('bad options and an unset token variable are configuration errors', () => {
  assert.throws(
    () => create({ url: 'ftp://x' } as never, { rig: 'r' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && /xmrig\.url/.test(e.message),
  );
  assert.throws(
    () => create({ url: server.url, extra: 1 } as never, { rig: 'r' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.throws(
    () => create({ url: server.url, token: { env: 'NOPE' } }, { rig: 'r', env: {} }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && /NOPE is not set/.test(e.message),
  );
});

test('example.yaml parses and validates', () => {
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const result = optionsSchema.safeParse(parse(text));
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.deepEqual(result.data.token, { env: 'RIGTUNE_XMRIG_TOKEN' });
});
