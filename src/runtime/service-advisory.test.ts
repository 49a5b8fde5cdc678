// The service feeds the advisory engine on a fake clock: advice raised from scripted readings reaches
// the sinks and the store's active set, clears when the condition ends, follows ingest's freshness
// reports, autotune `off`, live option changes and removed rigs, and feeds the advice gauge.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { ScriptedSource } from '../../test/fakes/scripted-source.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import type { AutotuneMode } from '../config/index.ts';
import {
  type AdvicePayload,
  type AdvisoryOptions,
  DEFAULT_ADVISORY_OPTIONS,
} from '../control/advisory/index.ts';
import type { ControlRecord, RigTickBatch, Sink, SinkHealth } from '../core/sink.ts';
import type { SnapshotValues } from '../core/snapshot.ts';
import { create as createEmbedded } from '../sinks/embedded/index.ts';
import type { ActiveAdviceCount, RuntimeMetrics } from './runtime-metrics.ts';
import { Service, type ServiceRig } from './service.ts';

const T0 = 1_780_000_000_000;
const SAMPLING = { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 };

/** Keeps every control record it is given. */
class ControlSink implements Sink {
  readonly name = 'control';
  readonly records: ControlRecord[] = [];
  write(_batch: RigTickBatch): void {}
  writeControl(record: ControlRecord): void {
    this.records.push(record);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  health(): SinkHealth {
    return { ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null };
  }
  /** `<kind> <device> <state>[ <cause>]` of each record, in order. */
  summary(): string[] {
    return this.records.map((r) => {
      const p = r.payload as AdvicePayload;
      return `${p.kind} ${p.target.device ?? '*'} ${p.state}${p.cause === null ? '' : ` ${p.cause}`}`;
    });
  }
}

/** Readings of poll `n` that always change (no stale re-read); `brake` sets the HW power brake flag. */
const reading = (n: number, brake: boolean): Partial<SnapshotValues> => ({
  power_w: 200 + (n % 7),
  temp_core_c: 60,
  throttle_flags: brake ? 0x80 : 0,
});

/** The power brake is on from poll `from` to poll `to` (inclusive); `devices` read at poll n. */
function brakeSource(rig: string, from: number, to: number, devices = (_n: number) => ['gpu0']) {
  return new ScriptedSource('nvml', rig, (n) => ({
    values: reading(n, n >= from && n <= to),
    devices: devices(n),
  }));
}

function start(
  rigs: ServiceRig[],
  o: { autotuneMode?: (rig: string) => AutotuneMode | undefined; metrics?: RuntimeMetrics } = {},
) {
  const clock = new FakeClock(T0);
  const store = createEmbedded({}, { clock });
  const control = new ControlSink();
  const service = new Service(rigs, SAMPLING, {
    clock,
    timers: clock,
    logger: pino({ level: 'silent' }),
    sinks: [store, control],
    ...o,
  });
  service.start();
  return { clock, store, control, service, ticks: (n: number) => clock.advance(n * 1000) };
}

const rigOf = (name: string, source: ScriptedSource, more: Partial<ServiceRig> = {}): ServiceRig => ({
  name,
  scorer: {},
  sources: [{ source, fastCapable: false, intervalMs: 1000 }],
  ...more,
});

/** The default options with one rule switched off. */
function without(kind: keyof AdvisoryOptions['rules']): AdvisoryOptions {
  const d = DEFAULT_ADVISORY_OPTIONS;
  return { ...d, rules: { ...d.rules, [kind]: { ...d.rules[kind], enabled: false } } };
}

test('raised after persist_ticks with reason and evidence, in the store, cleared after clear_ticks', async () => {
  const { store, control, service, ticks } = start([rigOf('r', brakeSource('r', 2, 9))]);
  await ticks(4); // polls 0..4: brake at 2, 3, 4 → raised on the third
  assert.deepEqual(control.summary(), ['check_power_supply gpu0 active']);
  const [active] = store.activeAdvice('r');
  const p = active.payload as AdvicePayload;
  assert.equal(active.kind, 'advice');
  assert.equal(active.ts, T0 + 4000);
  assert.match(p.reason, /^r\/gpu0 reports the hardware power brake \(flags 0x80\) at 20\d W/);
  assert.equal(p.evidence.throttle_flags, 0x80);
  assert.deepEqual(
    service.activeAdvice('r').map((x) => x.id),
    [p.id],
  );
  await ticks(5); // still on through poll 9: no repeat
  assert.equal(control.records.length, 1);
  await ticks(5); // off from poll 10: cleared on the fifth tick off (poll 14)
  assert.deepEqual(control.summary(), [
    'check_power_supply gpu0 active',
    'check_power_supply gpu0 cleared condition_ended',
  ]);
  assert.equal(control.records[1].ts, T0 + 14_000);
  assert.deepEqual(store.activeAdvice('r'), []);
  assert.equal(service.stats().advice, 2);
  await service.stop();
});

test('ingest freshness: a device that stops reporting gets device_stale at once, cleared when back', async () => {
  const devices = (n: number) => (n >= 3 && n < 10 ? ['gpu0'] : ['gpu0', 'gpu1']);
  const { store, control, service, ticks } = start([rigOf('r', brakeSource('r', -1, -1, devices))]);
  await ticks(9);
  assert.deepEqual(control.summary(), ['device_stale gpu1 active']);
  const stale = store.activeAdvice('r')[0].payload as AdvicePayload;
  // From ingest's device_missing report (gpu1 last read at poll 2), not from a scored sample.
  assert.equal(stale.severity, 'critical');
  assert.equal(stale.evidence.freshness, 'missing');
  assert.equal(stale.evidence.last_fresh_ms, T0 + 2000);
  assert.match(stale.reason, /^No fresh samples: nothing was read from r\/gpu1 for \d+ s/);
  await ticks(2); // gpu1 read again at poll 10
  assert.deepEqual(control.summary(), [
    'device_stale gpu1 active',
    'device_stale gpu1 cleared condition_ended',
  ]);
  assert.deepEqual(store.activeAdvice('r'), []);
  await service.stop();
});

test('a rig with autotune off gets no advice; the run-time mode hook turns a rig off and clears it', async () => {
  const modes = new Map<string, AutotuneMode>();
  const { control, service, ticks } = start(
    [rigOf('quiet', brakeSource('quiet', 0, 99), { autotune: 'off' }), rigOf('r', brakeSource('r', 0, 99))],
    { autotuneMode: (rig) => modes.get(rig) },
  );
  await ticks(3);
  assert.deepEqual(
    control.records.map((x) => x.rig),
    ['r'],
  );
  modes.set('r', 'off');
  await ticks(1); // the health timer's sweep (or the next tick) forgets the rig
  assert.deepEqual(control.summary(), [
    'check_power_supply gpu0 active',
    'check_power_supply gpu0 cleared rig_removed',
  ]);
  await ticks(5);
  assert.equal(control.records.length, 2, 'nothing while off');
  modes.set('r', 'auto');
  await ticks(3);
  assert.equal(control.records.length, 3, 'raised again once advising');
  await service.stop();
});

test('reconfigure: equal options change nothing, a rule switched off is withdrawn, a removed rig is cleared', async () => {
  const a = brakeSource('a', 0, 99);
  const b = brakeSource('b', 0, 99);
  const { control, service, ticks } = start([rigOf('a', a), rigOf('b', b)]);
  await ticks(3);
  assert.deepEqual(control.summary(), ['check_power_supply gpu0 active', 'check_power_supply gpu0 active']);
  // A reload with equal (but new) option objects: nothing re-raised, nothing cleared.
  const copy = structuredClone(DEFAULT_ADVISORY_OPTIONS);
  await service.reconfigure([rigOf('a', a, { advisory: copy }), rigOf('b', b, { advisory: copy })], SAMPLING);
  await ticks(3);
  assert.equal(control.records.length, 2);
  await service.reconfigure([rigOf('a', a, { advisory: without('check_power_supply') })], SAMPLING);
  assert.deepEqual(control.summary().slice(2), ['check_power_supply gpu0 cleared rig_removed']);
  assert.equal(control.records[2].rig, 'b');
  await ticks(1); // a's options take effect on its next tick
  assert.deepEqual(control.summary().slice(3), ['check_power_supply gpu0 cleared rule_disabled']);
  assert.deepEqual(service.activeAdvice(), []);
  await ticks(5);
  assert.equal(control.records.length, 4);
  await service.stop();
});

test('the advice gauge: every advising rig × kind, zeros included, refreshed on the health timer', async () => {
  const calls: ActiveAdviceCount[][] = [];
  const metrics: RuntimeMetrics = {
    recordSourcePoll: () => undefined,
    recordSinkBatches: () => undefined,
    recordSinkHealth: () => undefined,
    recordStageDuration: () => undefined,
    recordOpsEvent: () => undefined,
    recordActiveAdvice: (counts) => calls.push([...counts]),
  };
  const { service, ticks } = start(
    [rigOf('r', brakeSource('r', 0, 99)), rigOf('off', brakeSource('off', 0, 99), { autotune: 'off' })],
    { metrics },
  );
  await ticks(4);
  const last = calls.at(-1) ?? [];
  assert.equal(last.length, 9, 'one per kind of the one advising rig');
  assert.deepEqual(
    last.filter((c) => c.count > 0),
    [{ rig: 'r', kind: 'check_power_supply', count: 1 }],
  );
  assert.ok(last.every((c) => c.rig === 'r'));
  await service.stop();
});
