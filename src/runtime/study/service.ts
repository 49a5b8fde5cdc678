// `rigtune study run`'s service: the same service `rigtune run` builds (sinks, journal, controllers, API)
// with the study plugged in — it shares each rig's actuator with its controller and hears every tick.

import type { Logger } from 'pino';
import type { Api, ApiAddress } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import type { AutotuneMode } from '../../control/autotune/index.ts';
import type { ActionJournal } from '../../control/journal/index.ts';
import type { Actuator } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ControlRecord, Sink } from '../../core/sink.ts';
import type { Fleet } from '../../sim/index.ts';
import { parseTreatment, type StudyEvent, type StudyFile } from '../../study/aba-plan/index.ts';
import type { ActuatorRegistryDeps } from '../actuator-registry.ts';
import type { AutotuneFeed } from '../autotune-feed.ts';
import { startFromConfig } from '../from-config.ts';
import type { Service } from '../service.ts';
import { GuardedStudyControl, type ModeControl } from './guarded-control.ts';
import type { StudyRequest } from './plan.ts';
import { StudyRunner } from './runner.ts';
import { SerialActuator } from './serial-actuator.ts';
import { FileStudyStore, loadStudy } from './store.ts';

export interface StudyServiceOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** The study to run; an existing running study.json of the same id is resumed instead. */
  readonly request: StudyRequest;
  /** The simulated fleet the `sim` actuator acts on (`--demo`). */
  readonly fleet?: Fleet;
  readonly simDeviceNames?: ActuatorRegistryDeps['simDeviceNames'];
  /** How often the study steps, ms; default the sampling interval. */
  readonly stepMs?: number;
  readonly onEvent?: (e: StudyEvent) => void;
}

export interface RunningStudy {
  readonly service: Service;
  readonly api: Api;
  readonly address: ApiAddress;
  readonly runner: StudyRunner;
  /** True when an earlier run's study.json was resumed. */
  readonly resumed: boolean;
  /** Resolves with the final state once the study is done or aborted (or stopped: then still running). */
  readonly done: Promise<StudyFile>;
  /** Stops stepping (a running study is paused: baselines back, resumable), stops the service. Idempotent. */
  stop(): Promise<void>;
}

/** The feed's modes for the study (the API's mode override mechanism). */
function modesOf(feed: AutotuneFeed | null): ModeControl | undefined {
  if (feed === null) return undefined;
  return {
    mode: (rig) => (feed.status().find((s) => s.rig === rig)?.mode as AutotuneMode | undefined) ?? null,
    setMode: (rig, mode) => feed.setMode(rig, mode),
  };
}

/** A sink that hands every tick to the study (rupture classes) and nothing else. */
function tapSink(observe: (b: Parameters<Sink['write']>[0]) => void): Sink {
  return {
    name: 'study',
    write: observe,
    flush: async () => undefined,
    close: async () => undefined,
    health: () => ({ ok: true, queued: 0, spooled: 0, dropped: 0, lastError: null }),
  };
}

/** Starts the service of `config` and the study; throws RT_STUDY_REFUSED / RT_STUDY_STATE (all stopped). */
export async function startStudyService(config: Config, o: StudyServiceOptions): Promise<RunningStudy> {
  const { clock } = o;
  const id = o.request.id;
  const previous = await loadStudy(config.dataDir, id);
  if (previous !== null && previous.status !== 'running')
    throw new RigtuneError(
      'RT_STUDY_STATE',
      `study ${id} is already ${previous.status}; choose another --id`,
      {},
    );
  if (!config.rigs.some((r) => r.actuator !== null))
    throw new RigtuneError(
      'RT_STUDY_REFUSED',
      'no rig of the configuration has an actuator: nothing to study',
      {},
    );
  const store = await FileStudyStore.open(config.dataDir, id, config.sinks.parquet.data_dir);
  const shared = new Map<string, Actuator>();
  let runner: StudyRunner | null = null;
  // The service `rigtune run` builds, with each rig's actuator shared (one call at a time) between its
  // controller and the study, and every tick handed to the study too (rupture classes).
  const running = await startFromConfig(config, {
    clock,
    logger: o.logger,
    env: o.env,
    version: o.version,
    fleet: o.fleet,
    simDeviceNames: o.simDeviceNames,
    alwaysJournal: true,
    wrapActuator: (rig, driver) => {
      const a = new SerialActuator(driver);
      shared.set(rig, a);
      return a;
    },
    extraSinks: [tapSink((b) => runner?.observe(b))],
  });
  const { service, api, address } = running;
  const emit = (record: ControlRecord): void => service.emitControl(record);
  const control = new GuardedStudyControl({
    clock,
    actuators: shared,
    journal: running.journal as ActionJournal,
    killSwitch: running.killSwitch,
    options: (rig) => config.rigs.find((r) => r.name === rig)?.autotuneOptions,
    modes: modesOf(service.control()),
    emit,
  });
  const teardown = async () => {
    control.close();
    await running.stop();
  };
  try {
    const deps = { clock, control, store, emit, onEvent: o.onEvent };
    runner =
      previous === null
        ? await StudyRunner.begin(o.request, deps)
        : await StudyRunner.resume(previous, parseTreatment(previous.plan.treatment), deps);
  } catch (err) {
    await teardown();
    throw err;
  }
  const study = runner;
  const stepping = new AbortController();
  const stepMs = o.stepMs ?? config.sampling.intervalMs;
  const done = (async () => {
    while (!study.finished && !stepping.signal.aborted) {
      // Aborted sleep: stop() was called; the loop ends below.
      await clock.sleep(stepMs, stepping.signal).catch(() => undefined);
      if (stepping.signal.aborted) break;
      await study.step();
    }
    return study.state;
  })();
  let stopped: Promise<void> | null = null;
  return {
    service,
    api,
    address,
    runner: study,
    resumed: previous !== null,
    done,
    stop: () => {
      stopped ??= (async () => {
        stepping.abort();
        await done.catch(() => undefined);
        if (!study.finished) await study.pause('shutdown before the study ended');
        await teardown();
      })();
      return stopped;
    },
  };
}
