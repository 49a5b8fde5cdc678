// The service's operational side on a fake clock: one log line per transition (sources up and down,
// a sink failing and recovering, a rupture opening), no per-tick info lines, and the collector metrics.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pino from 'pino';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { SourceError } from '../core/errors.ts';
import type { RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import { create as createPrometheus } from '../sinks/prometheus/index.ts';
import { Service } from './service.ts';

const PROMTOOL = '/usr/bin/promtool';

/** A sink whose destination the test takes down and brings back. */
class FlakySink implements Sink {
  readonly name = 'flaky';
  ok = true;
  queued = 0;
  write(_batch: RigTickBatch): void {
    if (!this.ok) this.queued += 1;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health(): SinkHealth {
    return { ok: this.ok, queued: this.queued, spooled: 0, dropped: 0, lastError: this.ok ? null : 'down' };
  }
}

test('transitions are logged once each, ticks are not, and the collector metrics are fed', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const clock = new FakeClock(1_780_000_000_000);
  const prom = createPrometheus({ process_metrics: false }, { clock });
  const flaky = new FlakySink();
  const gpu = new ScriptedSource(
    'nvml',
    'rig-a',
    (n) => ({ values: { power_w: (n < 50 ? 200 : 320) + ((n * 7919) % 11) / 10, temp_core_c: 60 } }),
    { devices: ['gpu0'] },
  );
  // Fails polls 3 to 7 (connection refused), answers before and after.
  const miner = new ScriptedSource('cgminer', 'rig-b', (n) =>
    n >= 3 && n <= 7
      ? { fail: new SourceError('connect', 'refused') }
      : { values: { hashrate_5s: 1e12 + n } },
  );
  const service = new Service(
    [
      { name: 'rig-a', scorer: {}, sources: [{ source: gpu, fastCapable: false }] },
      { name: 'rig-b', scorer: {}, sources: [{ source: miner, fastCapable: false, intervalMs: 1000 }] },
    ],
    { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 },
    { clock, timers: clock, logger, sinks: [createEmbedded({}, { clock }), prom, flaky], metrics: prom },
  );
  service.start();
  for (let i = 0; i < 30; i += 1) await clock.advance(1000);
  flaky.ok = false;
  for (let i = 0; i < 5; i += 1) await clock.advance(1000);
  flaky.ok = true;
  for (let i = 0; i < 55; i += 1) await clock.advance(1000);

  const codes = (code: string) => lines.filter((l) => l.code === code);
  assert.deepEqual(
    codes('source_up').map((l) => [l.rig, l.msg]),
    [
      ['rig-a', 'Source is up.'],
      ['rig-b', 'Source is up.'],
      ['rig-b', 'Source is up again.'],
    ],
  );
  const down = codes('source_down');
  assert.equal(down.length, 1);
  assert.equal(down[0].error_kind, 'connect');
  assert.equal(down[0].level, 40);
  assert.equal(codes('source_recovered').length, 0, 'told by source_up');
  // Failures 2 to 5 (the first is the down transition): rate-limited, the summary says how many.
  const failed = codes('RT_SOURCE_CONNECT');
  assert.ok(failed.length < 4, 'repeated failures are rate-limited');
  assert.equal(
    failed.reduce((n, l) => n + 1 + Number(l.suppressed ?? 0), 0),
    4,
  );
  assert.deepEqual(
    codes('sink_down').map((l) => [l.component, l.last_error]),
    [['sink.flaky', 'down']],
  );
  assert.equal(codes('sink_up').length, 1);
  const opened = codes('rupture_opened');
  assert.ok(opened.length >= 1, 'the power step opens a rupture');
  assert.equal(opened[0].rig, 'rig-a');
  assert.equal(opened[0].device, 'gpu0');
  assert.match(String(opened[0].class), /^(micro|meso|macro)$/);
  const info = lines.filter((l) => l.level === 30);
  assert.ok(info.length < 15, `no per-tick info lines: ${info.map((l) => l.code).join(',')}`);

  const page = (await prom.render()).body;
  assert.match(page, /rigtune_source_polls_total\{component="source\.nvml"\} 91/);
  assert.match(page, /rigtune_source_errors_total\{component="source\.cgminer",error_type="connect"\} 5/);
  assert.match(page, /rigtune_sink_batches_total\{component="sink\.embedded"\} \d+/);
  assert.match(page, /rigtune_sink_up\{component="sink\.flaky"\} 1/);
  for (const stage of ['observe', 'score', 'stream'])
    assert.match(page, new RegExp(`rigtune_stage_duration_seconds_count\\{stage="${stage}"\\} \\d+`));
  assert.match(page, /rigtune_ops_events_total\{component="source\.cgminer",code="source_down"\} 1/);
  assert.match(page, /rigtune_ops_events_total\{component="source\.cgminer",code="RT_SOURCE_CONNECT"\} 5/);
  if (existsSync(PROMTOOL)) {
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: page, encoding: 'utf8' });
    assert.equal(`${r.stdout}${r.stderr}`, '');
    assert.equal(r.status, 0);
  }
  await service.stop();
});
