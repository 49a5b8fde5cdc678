// `rigtune study run`'s service: the same service `rigtune run` builds (sinks, journal, controllers, API)
// with the study plugged in — it shares each rig's actuator with its controller and hears every tick.

import type { Logger } from 'pino';
import type { Api, ApiAddress } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { type AutotuneMode, KillSwitch } from '../../control/autotune/index.ts';
import { type ActionJournal, openJournal } from '../../control/journal/index.ts';
import type { Actuator } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ControlRecord, Sink } from '../../core/sink.ts';
import { SYSTEM_TIMERS } from '../../ingest/index.ts';
import type { Fleet } from '../../sim/index.ts';
import { parseTreatment, type StudyEvent, type StudyFile } from '../../study/aba-plan/index.ts';
import type { ActuatorRegistryDeps } from '../actuator-registry.ts';
import type { AutotuneFeed } from '../autotune-feed.ts';
import { buildApi, buildSinks } from '../build-sinks.ts';
import { Service } from '../service.ts';
import { serviceRigs, serviceSampling } from '../service-config.ts';
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
  const { clock, logger, env } = o;
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
  const built = await buildSinks(config, { clock, logger, env });
  let journal: ActionJournal;
  try {
    journal = await openJournal({ dir: config.control.journalDir });
  } catch (err) {
    await built.closeAll();
    throw err;
  }
  const killSwitch = new KillSwitch();
  if (config.control.killSwitch) killSwitch.engage('configuration (control.kill_switch)');
  const shared = new Map<string, Actuator>();
  // The controller's actuator is the study's too, one call at a time.
  const rigs = serviceRigs(config, env, undefined, { fleet: o.fleet, simDeviceNames: o.simDeviceNames }).map(
    (r) => {
      const spec = r.actuator;
      if (spec === undefined) return r;
      const create = () => {
        const a = new SerialActuator(spec.create());
        shared.set(r.name, a);
        return a;
      };
      return { ...r, actuator: { ...spec, create } };
    },
  );
  let runner: StudyRunner | null = null;
  const sinks = [...built.sinks, tapSink((b) => runner?.observe(b))];
  const emit = (record: ControlRecord): void => {
    for (const s of built.sinks)
      try {
        s.writeControl?.(record);
      } catch (err) {
        logger.error({ component: `sink.${s.name}`, code: 'RT_SINK_FAILED', err }, 'Sink failed.');
      }
  };
  let service: Service;
  try {
    service = new Service(rigs, serviceSampling(config), {
      clock,
      timers: SYSTEM_TIMERS,
      logger,
      sinks,
      metrics: built.runtimeMetrics,
      control: { journal, killSwitch },
    });
  } catch (err) {
    await built.closeAll();
    await journal.close();
    throw err;
  }
  const api = buildApi(built, {
    version: o.version,
    configured: () => service.configuredRigs(),
    control: service.control() ?? undefined,
    token: () => config.control.token,
  });
  const control = new GuardedStudyControl({
    clock,
    actuators: shared,
    journal,
    killSwitch,
    options: (rig) => config.rigs.find((r) => r.name === rig)?.autotuneOptions,
    modes: modesOf(service.control()),
    emit,
  });
  const teardown = async () => {
    control.close();
    await service.stop();
    await journal.close();
    await api.close();
  };
  let address: ApiAddress;
  try {
    address = await api.listen({ host: config.http.host, port: config.http.port });
    // Each controller first rolls back what the journal has in flight (a crashed study's treatment too).
    await service.start();
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
