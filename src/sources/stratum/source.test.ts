// The stratum source against fake pools on 127.0.0.1: per-pool latency from an injected monotonic
// clock, null plus a warning for a failing pool, a SourceError only when every pool fails.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { closedPort } from '../../../test/fakes/raw-tcp-server.ts';
import { type FakeStratumPool, startFakeStratumPool } from '../../../test/fakes/stratum-pool.ts';
import { pollCollector } from '../../../test/helpers/poll-collector.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import { create, mapProbes, optionsSchema, poolDevice } from './index.ts';

let good: FakeStratumPool;
let silent: FakeStratumPool;
let refusing: number;
before(async () => {
  good = await startFakeStratumPool('reply');
  silent = await startFakeStratumPool('silent');
  refusing = await closedPort();
});
after(async () => {
  await good.close();
  await silent.close();
});

/** Readings for one probe: start, sent, reply (the probes of one poll run concurrently). */
function clockOf(readings: number[]): () => number {
  let i = 0;
  return () => readings[i++ % readings.length];
}

test('one healthy pool: latency per pool device, subscribe only', async () => {
  const ctx = pollCollector(99);
  const source = create(
    { pools: [{ host: '127.0.0.1', port: good.port }], timeout_ms: 1000 },
    { rig: 'rig-a', monotonicMs: clockOf([10, 12, 40]) },
  );
  await source.poll(ctx);
  const device = `pool:127.0.0.1:${good.port}`;
  assert.equal(ctx.snapshots.length, 1);
  assertSnapshot(ctx.snapshots[0], { ts: 99, rig: 'rig-a', device }, { stratum_latency_ms: 28 });
  assert.equal(ctx.rawOf(device, 'connect_ms'), 2);
  assert.deepEqual(source.devices?.(), [{ device, model: 'stratum v1 pool' }]);
  assert.ok(good.lines.every((l) => l === '{"id":1,"method":"mining.subscribe","params":["rigtune/0.1"]}'));
});

test('a silent and a refusing pool beside a healthy one: null latency, warnings, no throw', async () => {
  const warnings: string[] = [];
  const ctx = pollCollector();
  const source = create(
    {
      pools: [
        { host: '127.0.0.1', port: good.port },
        { host: '127.0.0.1', port: silent.port },
        { host: '127.0.0.1', port: refusing },
      ],
      timeout_ms: 100,
    },
    { rig: 'rig-a', warn: (m) => void warnings.push(m) },
  );
  await source.poll(ctx);
  assert.equal(ctx.snapshots.length, 3);
  assert.equal(typeof ctx.device(`pool:127.0.0.1:${good.port}`).stratum_latency_ms, 'number');
  assert.equal(ctx.device(`pool:127.0.0.1:${silent.port}`).stratum_latency_ms, null);
  assert.equal(ctx.rawOf(`pool:127.0.0.1:${silent.port}`, 'error_kind'), 'timeout');
  assert.equal(ctx.rawOf(`pool:127.0.0.1:${refusing}`, 'error_kind'), 'connect');
  assert.equal(warnings.length, 2);
});

test("every pool failing → SourceError with the first failure's kind", async () => {
  const ctx = pollCollector();
  const source = create(
    {
      pools: [
        { host: '127.0.0.1', port: silent.port },
        { host: '127.0.0.1', port: refusing },
      ],
      timeout_ms: 100,
    },
    { rig: 'rig-a' },
  );
  await assert.rejects(
    source.poll(ctx),
    (e) => e instanceof SourceError && e.kind === 'timeout' && /All stratum pools failed/.test(e.message),
  );
  assert.equal(ctx.snapshots.length, 0);
});

test("mapProbes keeps a pool's error reply raw; IPv6 devices are bracketed", () => {
  const r = mapProbes(
    [
      {
        device: 'pool:a:1',
        ok: true,
        latencyMs: 5,
        connectMs: 1,
        replyError: [24, 'Unauthorized worker', null],
      },
    ],
    1,
    'r',
  );
  assert.deepEqual(
    r.raw.map((x) => [x.field, x.value]),
    [
      ['connect_ms', 1],
      ['subscribe_error', '[24,"Unauthorized worker",null]'],
    ],
  );
  assert.equal(poolDevice('::1', 3333), 'pool:[::1]:3333');
});

test('options: at least one pool, ports in range; example.yaml validates', () => {
  assert.throws(
    () => create({ pools: [] }, { rig: 'r' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID') && /stratum\.pools/.test(e.message),
  );
  assert.throws(
    () => create({ pools: [{ host: 'x', port: 70000 }] }, { rig: 'r' }),
    (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  const result = optionsSchema.safeParse(
    parse(readFileSync(new URL('./example.yaml', import.meta.url), 'utf8')),
  );
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.equal(result.data.pools[1].tls, true);
});
