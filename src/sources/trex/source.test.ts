// The trex source over a real socket: the fake miner serves the fixtures at /summary; an HTML 502 from
// a proxy in front of the miner fails with kind 'status' and the code.

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
import { HttpStatusError } from '../../protocols/http-json/index.ts';
import { create, optionsSchema } from './index.ts';

let server: FakeHttpServer;
before(async () => {
  server = await startFakeHttpServer({
    '/summary': fixtureRoute(new URL('./fixtures/api-4.1-composite/summary.json', import.meta.url)),
    '/old/summary': fixtureRoute(new URL('./fixtures/0.9.1/summary.json', import.meta.url)),
    '/proxy/summary': {
      kind: 'text',
      status: 502,
      contentType: 'text/html',
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
    },
  });
});
after(() => server.close());
const fast = { timeout_ms: 500, connect_timeout_ms: 200 };

test('polls /summary and emits the total and the GPU', async () => {
  const ctx = pollCollector(3);
  const source = create({ url: server.url, ...fast }, { rig: 'rig-a' });
  await source.poll(ctx);
  assert.deepEqual(
    ctx.snapshots.map((s) => s.device),
    ['total', '0000:02:00.0'],
  );
  assert.equal(ctx.device('0000:02:00.0').temp_mem_c, 84);
  assert.equal(ctx.rawOf('total', 'api'), '4.1');
  const ctxOld = pollCollector(3);
  await create({ url: `${server.url}/old`, ...fast }, { rig: 'rig-a' }).poll(ctxOld);
  assert.equal(ctxOld.device('gpu0').temp_core_c, 68);
});

test('an HTML 502 → status 502', async () => {
  await assert.rejects(
    create({ url: `${server.url}/proxy`, ...fast }, { rig: 'r' }).poll(pollCollector()),
    (e) => e instanceof HttpStatusError && e.kind === 'status' && e.status === 502,
  );
});

test("the default URL is T-Rex's; example.yaml validates", () => {
  assert.equal(optionsSchema.parse({}).url, 'http://127.0.0.1:4067');
  const result = optionsSchema.safeParse(
    parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8')),
  );
  assert.ok(result.success, JSON.stringify(result.error?.issues));
});
