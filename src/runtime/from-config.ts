// Builds the running service from a resolved rigtune.yaml: sources and actuators through the registries,
// the action journal and kill switch, the sinks and HTTP API through build-sinks.ts (as replay does);
// reloads it; takes it all down (auto-tune restores safe settings before the sinks close).

import type { Logger } from 'pino';
import type { Api, ApiAddress } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { KillSwitch } from '../control/autotune/index.ts';
import { type ActionJournal, openJournal } from '../control/journal/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Sink } from '../core/sink.ts';
import { SYSTEM_TIMERS } from '../ingest/index.ts';
import type { Fleet } from '../sim/index.ts';
import type { ActuatorRegistryDeps } from './actuator-registry.ts';
import { buildApi, buildSinks } from './build-sinks.ts';
import { applyConfig, type ReloadOutcome, reloadFromFile } from './reload.ts';
import { Service } from './service.ts';
import { type SourceWarn, serviceRigs, serviceSampling } from './service-config.ts';

export interface RunningService {
  readonly service: Service;
  readonly api: Api;
  readonly address: ApiAddress;
  /** The configuration running now: rigs and sampling as last applied, sinks/http/data_dir as started. */
  readonly config: Config;
  /** Applies `next` live (rigs, sources, thresholds, sampling); reloads are applied one at a time. */
  reconfigure(next: Config): Promise<ReloadOutcome>;
  /**
   * Re-reads `path` (default: the running file) and applies it; a bad file is logged with
   * file:line:column and the running configuration stays. `adjust` re-applies command-line overrides.
   */
  reload(path?: string, adjust?: (c: Config) => Config): Promise<ReloadOutcome>;
  /** The action journal; null when no rig has an actuator (nothing was opened). */
  readonly journal: ActionJournal | null;
  /** The service's one kill switch. */
  readonly killSwitch: KillSwitch;
  /** Stops polling, flushes and closes every sink, closes the HTTP server. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  /** The simulated fleet the `sim` actuator acts on (`rigtune demo`); absent = no sim actuators. */
  readonly fleet?: Fleet;
  /** How the sources name the simulated GPUs (see ActuatorRegistryDeps); default `sim`. */
  readonly simDeviceNames?: ActuatorRegistryDeps['simDeviceNames'];
  /** Wraps each actuator driver built for a rig (see ActuatorRegistryDeps.wrap). */
  readonly wrapActuator?: ActuatorRegistryDeps['wrap'];
  /** Sinks beyond the configured ones, written after them each tick (e.g. a study hearing the ticks). */
  readonly extraSinks?: readonly Sink[];
  /** Open the action journal even when no rig has an actuator yet; default false. */
  readonly alwaysJournal?: boolean;
}

export async function startFromConfig(config: Config, o: StartOptions): Promise<RunningService> {
  const { clock, logger, env } = o;
  const built = await buildSinks(config, { clock, logger, env });
  const sinks = [...built.sinks, ...(o.extraSinks ?? [])];
  // Only rigs with an actuator need the journal; without any, nothing is opened under data_dir.
  let journal: ActionJournal | null = null;
  try {
    if (o.alwaysJournal === true || config.rigs.some((r) => r.actuator !== null))
      journal = await openJournal({ dir: config.control.journalDir });
  } catch (err) {
    await built.closeAll();
    throw err;
  }
  const killSwitch = new KillSwitch();
  if (config.control.killSwitch) killSwitch.engage('configuration (control.kill_switch)');
  const actuators: ActuatorRegistryDeps = {
    fleet: o.fleet,
    simDeviceNames: o.simDeviceNames,
    wrap: o.wrapActuator,
    onLogoffFailure: (rig, err) =>
      service?.report({
        component: 'actuator.luxos',
        code: err.code,
        level: 'warn',
        msg: 'LuxOS session could not be logged off; it expires after a minute idle.',
        rig,
        err,
      }),
  };

  // Sources warn while polling, after the service exists. A miner's expected reply format (a
  // trailing NUL, numbers as strings) is a note, not a warning: info, once per source.
  let service: Service | null = null;
  const warn: SourceWarn = (kind, rig, message, where, level) => {
    const note = level === 'note';
    service?.report({
      component: `source.${kind}`,
      code: note ? 'source_quirk' : 'source_mapping',
      level: note ? 'info' : 'warn',
      msg: note ? 'Miner reply format noted; read as is.' : 'Source reply only partly understood.',
      rig,
      device: where.device,
      fields: { detail: message, field: where.field },
    });
  };
  try {
    service = new Service(serviceRigs(config, env, warn, actuators), serviceSampling(config), {
      clock,
      timers: SYSTEM_TIMERS,
      logger,
      sinks,
      metrics: built.runtimeMetrics,
      control: journal === null ? undefined : { journal, killSwitch },
    });
  } catch (err) {
    await built.closeAll();
    await journal?.close();
    throw err;
  }
  const running = service;
  let current = config;
  const api = buildApi(built, {
    version: o.version,
    configured: () => running.configuredRigs(),
    control: running.control() ?? undefined,
    token: () => current.control.token,
  });
  let address: ApiAddress;
  try {
    address = await api.listen({ host: config.http.host, port: config.http.port });
  } catch (err) {
    await running.stop();
    await journal?.close();
    throw err;
  }
  const started = running.start();
  running.report({
    component: 'runtime',
    code: 'service_started',
    level: 'info',
    msg: 'Service started.',
    rateLimited: false,
    fields: {
      version: o.version,
      file: config.file,
      url: address.url,
      rigs: config.rigs.length,
      sources: config.rigs.reduce((n, r) => n + r.sources.length, 0),
      sinks: sinks.map((s) => s.name),
      interval_ms: config.sampling.intervalMs,
      data_dir: config.dataDir,
      autotune: running.control()?.rigs ?? [],
      kill_switch: killSwitch.engaged,
      control_token: config.control.token !== null,
    },
  });
  // Each controller first rolls back what the journal has in flight for its rig (logged per rig).
  await started;

  let chain: Promise<unknown> = Promise.resolve();
  const serialized = (work: () => Promise<ReloadOutcome>): Promise<ReloadOutcome> => {
    const next = chain.then(work).then((outcome) => {
      current = outcome.config;
      return outcome;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  const deps = { service: running, env, warn, actuators };
  let stopped: Promise<void> | null = null;
  return {
    service: running,
    api,
    address,
    journal,
    killSwitch,
    get config() {
      return current;
    },
    reconfigure: (next) => serialized(() => applyConfig(current, next, deps)),
    reload: (path, adjust) =>
      serialized(() => reloadFromFile(path ?? current.file, current, { ...deps, adjust })),
    stop: () => {
      stopped ??= (async () => {
        running.report({
          component: 'runtime',
          code: 'service_stopping',
          level: 'info',
          msg: 'Service stopping; flushing sinks.',
          rateLimited: false,
        });
        await running.stop();
        await journal?.close();
        await api.close();
        logger.info(
          { component: 'runtime', code: 'service_stopped', ...running.stats() },
          'Service stopped.',
        );
      })();
      return stopped;
    },
  };
}
