// Pieces of the scale-out auto-tune tests: a site (collector + SiteAutotune over one simulated H100 under
// the sim actuator, its journal and audit log) on a fake clock, stepped one poll at a time.

import type { AutotuneOptionsInput } from '../../src/control/autotune/index.ts';
import { KillSwitch } from '../../src/control/autotune/index.ts';
import { ActionJournal } from '../../src/control/journal/index.ts';
import {
  Collector,
  openValkey,
  type ScoreSubscriber,
  SiteAutotune,
  subscribeScores,
  type ValkeyPort,
} from '../../src/runtime/scale/index.ts';
import type { Fleet } from '../../src/sim/index.ts';
import { create as createAudit } from '../../src/sinks/audit/index.ts';
import type { StreamWriter } from '../../src/sinks/valkey-streams/index.ts';
import type { FakeClock } from '../helpers/fake-clock.ts';
import { waitUntil } from '../helpers/redis-server.ts';
import { FAST, RIG, simRig } from './autotune-service-kit.ts';
import { silent, startWriter } from './scale-kit.ts';

export const SAMPLING = { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 };

/** One site: its collector, auto-tune, journal and the connections they use. */
export interface Site {
  readonly collector: Collector;
  readonly autotune: SiteAutotune;
  readonly journal: ActionJournal;
  readonly writer: StreamWriter;
  readonly port: ValkeyPort;
  /** Stops polling, then auto-tune (safe settings restored), closes the audit log, journal, connections. */
  stop(): Promise<void>;
  /** A crash: nothing restored; the journal file and the devices stay as they are. */
  crash(): Promise<void>;
}

/** Builds and starts a site on `clock` (the controllers roll back what `journalDir` has in flight). */
export async function startSite(
  url: string,
  clock: FakeClock,
  fleet: Fleet,
  o: { journalDir: string; auditDir: string; mode: 'advise' | 'auto'; options?: AutotuneOptionsInput },
): Promise<Site> {
  const journal = await ActionJournal.open({ dir: o.journalDir });
  const { writer, port: writerPort } = startWriter(url, 'site-a', 4);
  const port = openValkey({ urls: [url], reconnectMaxMs: 100 });
  const audit = createAudit({ dir: o.auditDir, fsync_interval_ms: 0 }, { clock, logger: silent });
  const rig = simRig(fleet, o.mode, o.options ?? FAST);
  const subscriptions: ScoreSubscriber[] = [];
  const autotune = new SiteAutotune([rig], {
    clock,
    logger: silent,
    port,
    urls: [url],
    journal,
    killSwitch: new KillSwitch(),
    sinks: [audit],
    subscribe: (options) => {
      const sub = subscribeScores(options);
      subscriptions.push(sub);
      return sub;
    },
  });
  const collector = new Collector([rig], SAMPLING, {
    clock,
    timers: clock,
    logger: silent,
    writer,
    onPoll: (r, snapshots, tickMs) => autotune.onPoll(r, snapshots, tickMs),
  });
  await autotune.start();
  collector.start();
  const close = async () => {
    await audit.close();
    await journal.close();
    await port.close();
    await writerPort.close();
  };
  return {
    collector,
    autotune,
    journal,
    writer,
    port,
    async stop() {
      await collector.stop();
      await autotune.stop();
      await close();
    },
    async crash() {
      await collector.stop();
      for (const sub of subscriptions) await sub.close();
      await close();
    },
  };
}

/**
 * Waits until the controller's queued decision passes are done: a mode change to the mode it has is
 * applied after them (the controller runs its work one call at a time) and changes nothing.
 */
export async function passesDone(site: Site): Promise<void> {
  await site.autotune.feed.setMode(RIG, site.autotune.feed.status()[0].mode as 'auto' | 'advise');
}

/** One poll: moves the clock 1 s, waits for the poll and (when `scored`) for its scores to be fed. */
export async function step(site: Site, clock: FakeClock, scored: boolean): Promise<void> {
  const polls = site.collector.stats().polls;
  await clock.advance(1000);
  await waitUntil(() => site.collector.stats().polls > polls, 'the collector polled');
  if (scored)
    await waitUntil(() => site.autotune.stats().joins[RIG].held === 0, 'the poll is scored and fed');
  await passesDone(site);
}
