// The fan-out's health side: batches per sink counted between reports, sink health transitions
// reported once each, and a sink whose write or health throws costs a report, never the others.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import { OpsReporter } from './ops-events.ts';
import type { RuntimeMetrics } from './runtime-metrics.ts';
import { SinkFanout } from './sink-fanout.ts';

class TestSink implements Sink {
  readonly name: string;
  ok = true;
  throwOnWrite = false;
  throwOnHealth = false;
  written = 0;
  constructor(name: string) {
    this.name = name;
  }
  write(_batch: RigTickBatch): void {
    if (this.throwOnWrite) throw new Error('bug');
    this.written += 1;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health(): SinkHealth {
    if (this.throwOnHealth) throw new Error('bug');
    return { ok: this.ok, queued: 0, spooled: this.ok ? 0 : 3, dropped: 0, lastError: this.ok ? null : 'x' };
  }
}

const BATCH: RigTickBatch = {
  rig: 'r1',
  ts: 1,
  snapshots: [],
  scores: [],
  events: [],
  state: { schema: 1, rig: 'r1', ts: 1, devices: [] },
};

function recorder() {
  const calls: string[] = [];
  const metrics: RuntimeMetrics = {
    recordSourcePoll: () => undefined,
    recordSinkBatches: (c, n) => void calls.push(`batches ${c} ${n}`),
    recordSinkHealth: (c, h) => void calls.push(`health ${c} ${h.ok} ${h.spooled}`),
    recordStageDuration: () => undefined,
    recordOpsEvent: (c, code) => void calls.push(`event ${c} ${code}`),
  };
  return { calls, metrics };
}

test('batches are counted per sink between reports; health transitions are reported once', () => {
  const { calls, metrics } = recorder();
  const ops = new OpsReporter(
    pino({ level: 'silent' }),
    () => 0,
    10_000,
    (e) => metrics.recordOpsEvent(e.component, e.code),
  );
  const a = new TestSink('a');
  const b = new TestSink('b');
  const fanout = new SinkFanout([a, b], ops);
  fanout.write(BATCH);
  fanout.write(BATCH);
  fanout.recordHealth(metrics);
  assert.deepEqual(calls, [
    'batches sink.a 2',
    'health sink.a true 0',
    'batches sink.b 2',
    'health sink.b true 0',
  ]);
  calls.length = 0;
  b.ok = false;
  fanout.write(BATCH);
  fanout.recordHealth(metrics);
  fanout.recordHealth(metrics);
  b.ok = true;
  fanout.recordHealth(metrics);
  assert.deepEqual(
    calls.filter((c) => c.startsWith('event')),
    ['event sink.b sink_down', 'event sink.b sink_up'],
  );
  assert.ok(calls.includes('batches sink.b 1'));
  assert.ok(calls.includes('batches sink.b 0'));
});

test('a throwing write or health is reported; the other sink still gets its batch', () => {
  const { calls, metrics } = recorder();
  const ops = new OpsReporter(
    pino({ level: 'silent' }),
    () => 0,
    10_000,
    (e) => metrics.recordOpsEvent(e.component, e.code),
  );
  const bad = new TestSink('bad');
  const good = new TestSink('good');
  bad.throwOnWrite = true;
  bad.throwOnHealth = true;
  const fanout = new SinkFanout([bad, good], ops);
  fanout.write(BATCH);
  assert.equal(good.written, 1);
  fanout.recordHealth(metrics);
  assert.deepEqual(
    calls.filter((c) => c.startsWith('event')),
    ['event sink.bad RT_SINK_FAILED', 'event sink.bad RT_SINK_FAILED'],
  );
  assert.ok(calls.includes('batches sink.good 1'));
  assert.equal(ops.count('sink.bad', 'RT_SINK_FAILED'), 2);
});
