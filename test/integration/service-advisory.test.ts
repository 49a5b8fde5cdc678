// Advice end to end on the fake clock: a simulated GPU rig whose fan fails for a minute, read by an
// in-process sim source and scored by the Service, gets advice that reaches the embedded store, the
// HTTP API (GET /api/rigs/:rig, /api/stream, /metrics), a real redis-server's telemetry:advice:{rig}
// and the audit log, each record exactly once; all of it is cleared once the fault is over.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createClient } from 'redis';
import { LatestReadings } from '../../src/api/index.ts';
import { SseReader } from '../../src/api/test-kit.ts';
import type { AdvicePayload } from '../../src/control/advisory/index.ts';
import type { ControlRecord, Sink } from '../../src/core/sink.ts';
import { type BuiltSinks, buildApi } from '../../src/runtime/build-sinks.ts';
import { Service } from '../../src/runtime/service.ts';
import { Fleet, parseFaultSpec } from '../../src/sim/index.ts';
import { create as createAudit, readAuditLog } from '../../src/sinks/audit/index.ts';
import { create as createEmbedded } from '../../src/sinks/embedded/index.ts';
import { create as createPrometheus } from '../../src/sinks/prometheus/index.ts';
import { create as createValkey } from '../../src/sinks/valkey/index.ts';
import { SimFleetSource } from '../fakes/sim-fleet-source.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';

const T0 = Date.UTC(2026, 10, 1, 12);
const skip = hasRedisServer() ? false : 'redis-server is not installed (/usr/bin/redis-server)';
const root = mkdtempSync(join(tmpdir(), 'rigtune-service-advisory-'));
let server: RedisServer;

before(async () => {
  if (!skip) server = await startRedis();
});

after(async () => {
  if (!skip) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const summary = (records: readonly ControlRecord[]): string[] =>
  records.map((r) => {
    const p = r.payload as AdvicePayload;
    return `${p.kind} ${p.target.device ?? '*'} ${p.state}`;
  });

/** JSON round trip: what a reader of Valkey, the audit log or the API sees. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

test('a fan failure: advice in the store, the API, the stream, /metrics, Valkey and the audit log; cleared after', {
  skip,
}, async (t) => {
  const clock = new FakeClock(T0);
  const logger = pino({ level: 'silent' });
  const fleet = new Fleet({
    seed: 7,
    startMs: T0,
    gpuRigs: 1,
    gpusPerRig: 2,
    asics: 0,
    faults: parseFaultSpec('fan_failure@rig0/gpu0@20s+60s'),
  });
  const store = createEmbedded({ control_history: 1000 }, { clock });
  const valkey = createValkey({ url: server.url, spool_dir: join(root, 'spool') }, { logger });
  const prometheus = createPrometheus({ process_metrics: false }, { clock });
  const audit = createAudit({ dir: join(root, 'audit') }, { clock, logger });
  const sinks: Sink[] = [store, valkey, prometheus, audit];
  const built: BuiltSinks = {
    sinks,
    store,
    readings: new LatestReadings(),
    dataDir: root,
    prometheus,
    runtimeMetrics: prometheus,
    history: null,
    closeAll: async () => undefined,
  };
  await waitUntil(() => valkey.health().ok, 'the Valkey sink connects');
  const sub = createClient({ url: server.url });
  sub.on('error', () => undefined);
  await sub.connect();
  t.after(() => sub.destroy());
  const heard: ControlRecord[] = [];
  await sub.subscribe('telemetry:advice:rig0', (message) => heard.push(JSON.parse(message)));

  const service = new Service(
    [
      {
        name: 'rig0',
        scorer: {},
        sources: [{ source: new SimFleetSource(fleet, 'rig0'), fastCapable: false }],
      },
    ],
    { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 },
    { clock, timers: clock, logger, sinks, metrics: prometheus },
  );
  const api = buildApi(built, { version: 'test', configured: () => service.configuredRigs() });
  const { url } = await api.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => api.close());
  const stream = await fetch(`${url}/api/stream?rig=rig0`);
  const events = new SseReader(stream.body as ReadableStream<Uint8Array>);
  await waitUntil(() => store.listenerCount === 2, 'the stream subscribes to states and advice');
  service.start();
  const runTo = (s: number) => clock.advanceTo(T0 + s * 1000);

  // Fan stopped at 20 s: by 60 s the fan, the heat, the throttling and the lost hash rate are advised.
  await runTo(60);
  const rig = (await (await fetch(`${url}/api/rigs/rig0`)).json()) as { advice: ControlRecord[] };
  assert.deepEqual(summary(rig.advice), [
    'check_fan gpu0 active',
    'lower_power_limit gpu0 active',
    'lower_core_clock gpu0 active',
    'inspect_device gpu0 active',
  ]);
  assert.deepEqual(rig.advice, plain(store.activeAdvice('rig0')));
  // Valkey's telemetry:advice:rig0 holds the same active set (a hash: episode id → newest record).
  await valkey.flush();
  const peek = createClient({ url: server.url });
  peek.on('error', () => undefined);
  await peek.connect();
  t.after(() => peek.destroy());
  const byId = (records: ControlRecord[]) =>
    Object.fromEntries(records.map((r) => [(r.payload as AdvicePayload).id, r]));
  const held = await peek.hGetAll('telemetry:advice:rig0');
  assert.deepEqual(
    Object.fromEntries(Object.entries(held).map(([id, json]) => [id, JSON.parse(json)])),
    byId(rig.advice),
  );
  const fan = rig.advice[0].payload as AdvicePayload;
  assert.match(fan.reason, /^rig0\/gpu0's fan reads 0 RPM while commanded to \d+ %/);
  assert.equal(fan.evidence.fan_rpm, 0);
  assert.equal(fan.severity, 'critical');
  const power = rig.advice[1].payload as AdvicePayload;
  assert.deepEqual(power.delta?.setpoint, 'power_limit_w');
  assert.ok((power.delta?.by ?? 0) < 0);
  assert.ok(
    service.activeAdvice().every((p) => p.target.device === 'gpu0'),
    'healthy gpu1 gets none',
  );
  const page = await (await fetch(`${url}/metrics`)).text();
  assert.match(page, /^rigtune_advice_active\{rig="rig0",kind="check_fan"\} 1$/m);
  assert.match(page, /^rigtune_advice_active\{rig="rig0",kind="check_pool"\} 0$/m);
  // The stream: rig0's state, then its advice as raised.
  const streamed: string[] = [];
  while (streamed.length < 4) {
    const e = await events.nextEvent();
    if (e?.event === 'advice') streamed.push(summary([JSON.parse(e.data as string)])[0]);
  }
  assert.deepEqual(streamed, summary(rig.advice));
  await events.cancel();

  // Fan back at 80 s; the heat, the throttling and the hash rate recover within minutes.
  await runTo(420);
  const end = (await (await fetch(`${url}/api/rigs/rig0`)).json()) as { advice: ControlRecord[] };
  assert.deepEqual(end.advice, []);
  const all = store.control('rig0');
  const cleared = all.filter((r) => r.payload.state === 'cleared');
  assert.equal(cleared.length, 4);
  assert.ok(cleared.every((r) => r.payload.cause === 'condition_ended'));
  assert.equal(service.stats().advice, all.length);

  // Valkey: every record published once, in order; the active set is empty.
  await valkey.flush();
  await waitUntil(() => heard.length === all.length, 'every advice record is heard on telemetry:advice:rig0');
  assert.deepEqual(heard, plain(all));
  const check = createClient({ url: server.url });
  check.on('error', () => undefined);
  await check.connect();
  t.after(() => check.destroy());
  assert.equal(await check.exists('telemetry:advice:rig0'), 0, 'every advice cleared: the set is empty');

  // The audit log: the same records, in order, as lines of type `advice`.
  await service.stop();
  const log = await readAuditLog(join(root, 'audit'));
  const logged = log.records.filter((r) => r.type === 'advice');
  assert.deepEqual(
    logged,
    plain(all).map((r) => ({ type: 'advice', ts: r.ts, rig: r.rig, payload: r.payload })),
  );
});
