// `rigtune demo`'s scheduled faults are caught: the demo fleet served over the real XMRig and CGMiner
// protocols, read by the real sources from the demo's rigtune.yaml, scored by the Service, on a fake clock.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { parseConfigText } from '../../src/config/index.ts';
import type { RuptureEvent } from '../../src/core/scores.ts';
import type { Source, SourceContext } from '../../src/core/source.ts';
import { type FaultReport, formatFaultReport, matchFaultEvents } from '../../src/runtime/demo-faults.ts';
import { type DemoFleet, demoConfigYaml, serveDemoFleet } from '../../src/runtime/demo-fleet.ts';
import { Service, type ServiceRig, type ServiceSource } from '../../src/runtime/service.ts';
import { serviceRigs, serviceSampling } from '../../src/runtime/service-config.ts';
import { FakeClock, settle } from '../helpers/fake-clock.ts';
import { RecordingSink } from './service-kit.ts';

/** Simulated seconds run: the last fault (driver_crash) starts at 90 s. */
const RUN_S = 130;
/** Most seconds from a fault's onset to the detection of its first event. */
const MAX_DELAY_S = 30;
/**
 * A reject storm shows only in share counters: its detector needs a few bad shares, which a rig finds
 * every few seconds, so it is allowed longer (src/kernel/shares/README.md).
 */
const MAX_DELAY_BY_KIND: Readonly<Record<string, number>> = { reject_storm: 60 };

/** A source that tells the test when each of its polls has settled. */
class Watched implements Source {
  readonly #inner: Source;
  readonly #settled: () => void;

  constructor(inner: Source, settled: () => void) {
    this.#inner = inner;
    this.#settled = settled;
  }

  get kind(): string {
    return this.#inner.kind;
  }

  get rig(): string {
    return this.#inner.rig;
  }

  async poll(ctx: SourceContext): Promise<void> {
    try {
      await this.#inner.poll(ctx);
    } finally {
      this.#settled();
    }
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

const T0 = Date.UTC(2026, 2, 1, 10);
let demo: DemoFleet;
let report: FaultReport;
let events: RuptureEvent[];

before(async () => {
  const clock = new FakeClock(T0);
  demo = await serveDemoFleet({ seed: 1, clock });
  const config = parseConfigText(
    demoConfigYaml(demo.servers, { port: 0, dataDir: '/nonexistent' }),
    '<demo>',
    {},
  );
  let settled = 0;
  let wake: (() => void) | null = null;
  const onSettled = () => {
    settled++;
    wake?.();
  };
  // The demo's rigs as `rigtune run` builds them, each source wrapped to report its settled polls.
  const watched = (s: ServiceSource): ServiceSource => {
    assert.ok('create' in s, 'serviceRigs builds its sources lazily');
    return { ...s, create: () => new Watched(s.create(), onSettled) };
  };
  const rigs: ServiceRig[] = serviceRigs(config, {}).map((rig) => ({
    ...rig,
    sources: rig.sources.map(watched),
  }));
  const recorder = new RecordingSink();
  const service = new Service(rigs, serviceSampling(config), {
    clock,
    timers: clock,
    logger: pino({ level: 'silent' }),
    sinks: [recorder],
  });
  service.start();
  // Tick k: every source is polled at T0 + k s; the next tick waits until all those polls settled.
  for (let k = 0; k <= RUN_S; k++) {
    await clock.advanceTo(T0 + k * config.sampling.intervalMs);
    while (settled < (k + 1) * rigs.length) await new Promise<void>((resolve) => (wake = resolve));
    await settle();
  }
  await service.stop();
  events = recorder.batches.flatMap((b) => b.events);
  report = matchFaultEvents(demo.fleet, (ms) => demo.pacer.clockMsOf(ms) ?? ms, events);
});

after(async () => {
  await demo?.close();
});

test('every scheduled fault of the demo has started within the run', () => {
  assert.deepEqual(
    report.faults.map((f) => f.label.kind),
    ['thermal_paste', 'fan_failure', 'pool_latency', 'hashboard_dropout', 'reject_storm', 'driver_crash'],
  );
});

test('each scheduled fault gets a rupture event on its device soon after onset', (t) => {
  for (const line of formatFaultReport(report)) t.diagnostic(line);
  for (const f of report.faults) {
    const maxDelayS = MAX_DELAY_BY_KIND[f.label.kind] ?? MAX_DELAY_S;
    assert.ok(f.events >= 1, `${f.name}: no event on ${f.devices?.join(', ') ?? 'the rig'}`);
    assert.ok(
      f.firstDelayMs !== null && f.firstDelayMs <= maxDelayS * 1000,
      `${f.name}: first event ${f.firstDelayMs} ms after onset`,
    );
    assert.ok(f.worstClass !== null && f.worstClass !== 'none', `${f.name}: class ${f.worstClass}`);
  }
});

test('healthy devices stay quiet: at most two events that no fault explains', () => {
  const text = report.unexplained.map((e) => `${e.rig}/${e.device} ${e.channels.join(',')}`).join('; ');
  assert.ok(report.unexplained.length <= 2, text);
});
