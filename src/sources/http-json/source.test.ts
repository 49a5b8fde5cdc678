// The http-json source over a real socket: a fake pool API on 127.0.0.1 checks the secret header
// and token arrive; secrets never appear in errors; a changed document yields nulls and warnings.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { type FakeHttpServer, startFakeHttpServer } from '../../../test/fakes/http-miner-server.ts';
import { pollCollector } from '../../../test/helpers/poll-collector.ts';
import { isRigtuneError } from '../../core/errors.ts';
import { HttpStatusError } from '../../protocols/http-json/index.ts';
import { create, optionsSchema } from './index.ts';

const doc = { result: { workers: [{ name: 'rig-1', hashrate: 95.5 }], 'avg latency': 0.03 } };
let server: FakeHttpServer;
before(async () => {
  server = await startFakeHttpServer({
    '/workers': {
      kind: 'handler',
      handle: (req, res) => {
        const ok = req.headers['x-api-key'] === 'k-secret' && req.headers.authorization === 'Bearer t-secret';
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(ok ? doc : { error: 'denied' }));
      },
    },
    '/changed': { kind: 'json', body: { data: [] } },
  });
});
after(() => server.close());

const mappings = [
  {
    path: '$.result.workers[*].hashrate',
    field: 'hashrate_1m',
    unit: 'MH/s',
    device: { path: '$.result.workers[*].name' },
  },
  { path: '$.result["avg latency"]', field: 'stratum_latency_ms', unit: 's' },
] as const;
const env = { POOL_KEY: 'k-secret', POOL_TOKEN: 't-secret' };

test('reads the document with secret header and token, maps it', async () => {
  const source = create(
    {
      url: `${server.url}/workers`,
      headers: { 'X-Api-Key': { env: 'POOL_KEY' }, Accept: 'application/json' },
      token: { env: 'POOL_TOKEN' },
      mappings: [...mappings],
      timeout_ms: 500,
    },
    { rig: 'rig-a', env },
  );
  const ctx = pollCollector(11);
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => [s.device, s.hashrate_1m, s.stratum_latency_ms]),
    [
      ['rig-1', 95_500_000, null],
      ['total', null, 30],
    ],
  );
  assert.equal(server.requests.at(-1)?.headers.accept, 'application/json');
});

test('a refused key → status 401 whose message carries no secret', async () => {
  const source = create(
    {
      url: `${server.url}/workers`,
      headers: { 'X-Api-Key': 'wrong' },
      mappings: [...mappings],
      timeout_ms: 500,
    },
    { rig: 'r', env },
  );
  await assert.rejects(source.poll(pollCollector()), (e) => {
    assert.ok(e instanceof HttpStatusError && e.status === 401);
    assert.doesNotMatch(e.message, /secret|wrong/);
    return true;
  });
});

test('a document that changed shape: null fields and warnings, no throw', async () => {
  const warnings: string[] = [];
  const source = create(
    { url: `${server.url}/changed`, mappings: [...mappings], timeout_ms: 500 },
    { rig: 'r', warn: (m) => void warnings.push(m) },
  );
  const ctx = pollCollector();
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => [s.device, s.stratum_latency_ms]),
    [['total', null]],
  );
  assert.equal(warnings.length, 2);
});

test('an unset secret variable and a bad path are configuration errors naming what is wrong', () => {
  assert.throws(
    () =>
      create(
        { url: server.url, token: { env: 'MISSING_TOKEN' }, mappings: [...mappings] },
        { rig: 'r', env: {} },
      ),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && /MISSING_TOKEN/.test(e.message),
  );
  assert.throws(
    () => create({ url: server.url, mappings: [{ path: '$..x', field: 'power_w' }] }, { rig: 'r' }),
    (e) =>
      isRigtuneError(e, 'RT_CONFIG_INVALID') &&
      e.where.field === 'http-json.mappings.0.path' &&
      /mappings\[0\]: bad path '\$\.\.x'/.test(e.message),
  );
});

test('example.yaml validates', () => {
  const result = optionsSchema.safeParse(
    parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8')),
  );
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.equal(result.data.mappings.length, 4);
});
