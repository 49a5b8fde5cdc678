// The gminer source over a real socket: GMiner and Rigel fixtures at /stat on the fake miner; a reply
// cut off mid-body fails with kind 'reset'.

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
import { SourceError } from '../../core/errors.ts';
import { create, optionsSchema } from './index.ts';

const fixture = (p: string) => new URL(`./fixtures/${p}/stat.json`, import.meta.url);
let server: FakeHttpServer;
before(async () => {
  server = await startFakeHttpServer({
    '/g/stat': fixtureRoute(fixture('gminer/2.90')),
    '/r/stat': fixtureRoute(fixture('rigel/synthetic')),
    '/cut/stat': { kind: 'reset', head: '{"miner":"GMiner 2.90","devices":[' },
  });
});
after(() => server.close());
const fast = { timeout_ms: 500, connect_timeout_ms: 200 };

test('GMiner and Rigel over HTTP with dialect auto', async () => {
  const g = pollCollector();
  await create({ url: `${server.url}/g`, ...fast }, { rig: 'rig-a' }).poll(g);
  assert.equal(g.device('0000:08:00.0').temp_mem_c, 68);
  assert.equal(g.rawOf('total', 'dialect'), 'gminer');
  const r = pollCollector();
  await create({ url: `${server.url}/r`, dialect: 'rigel', ...fast }, { rig: 'rig-a' }).poll(r);
  assert.equal(r.device('total').stratum_latency_ms, 42);
  assert.equal(r.snapshots.length, 3);
});

test('a reply cut off mid-body → reset; a dialect mismatch → protocol', async () => {
  await assert.rejects(
    create({ url: `${server.url}/cut`, ...fast }, { rig: 'r' }).poll(pollCollector()),
    (e) => e instanceof SourceError && e.kind === 'reset',
  );
  await assert.rejects(
    create({ url: `${server.url}/g`, dialect: 'rigel', ...fast }, { rig: 'r' }).poll(pollCollector()),
    (e) => e instanceof SourceError && e.kind === 'protocol',
  );
});

test('example.yaml validates; dialect must be known', () => {
  const result = optionsSchema.safeParse(
    parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8')),
  );
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.equal(optionsSchema.safeParse({ url: 'http://127.0.0.1:1', dialect: 'nbminer' }).success, false);
});
