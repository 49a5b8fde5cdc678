// The lolminer source over a real socket: the fake miner serves both schemas' fixtures; a garbage or
// truncated reply fails with the right kind and emits nothing.

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
import { create, optionsSchema } from './index.ts';

const fixture = (v: string) => new URL(`./fixtures/${v}/summary.json`, import.meta.url);
let server: FakeHttpServer;
before(async () => {
  server = await startFakeHttpServer({
    '/old/summary': fixtureRoute(fixture('1.26')),
    '/new/summary': fixtureRoute(fixture('1.92')),
    '/garbage/summary': { kind: 'text', body: 'lolMiner is starting…' },
    '/truncated/summary': { kind: 'reset', head: '{"Software":"lolMiner 1.26","Session":{' },
  });
});
after(() => server.close());
const fast = { timeout_ms: 500, connect_timeout_ms: 200 };

test('both schemas read over HTTP', async () => {
  for (const [path, device] of [
    ['old', '0000:01:00.0'],
    ['new', '0000:0b:00.0'],
  ]) {
    const ctx = pollCollector(7);
    const source = create({ url: `${server.url}/${path}`, ...fast }, { rig: 'rig-a' });
    await source.poll(ctx);
    assert.deepEqual(
      ctx.snapshots.map((s) => s.device),
      ['total', device],
    );
    assert.equal(ctx.snapshots[1].ts, 7);
    assert.equal(source.devices?.()[1].pci_bus_id, device);
  }
});

test('garbage → protocol, truncated → reset; nothing emitted', async () => {
  const ctx = pollCollector();
  await assert.rejects(
    create({ url: `${server.url}/garbage`, ...fast }, { rig: 'r' }).poll(ctx),
    (e) => e instanceof SourceError && e.kind === 'protocol',
  );
  await assert.rejects(
    create({ url: `${server.url}/truncated`, ...fast }, { rig: 'r' }).poll(ctx),
    (e) => e instanceof SourceError && e.kind === 'reset',
  );
  assert.equal(ctx.snapshots.length, 0);
});

test('options: unknown keys rejected; example.yaml validates', () => {
  assert.throws(
    () => create({ url: server.url, port: 1 } as never, { rig: 'r' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const result = optionsSchema.safeParse(parse(text));
  assert.ok(result.success, JSON.stringify(result.error?.issues));
});
