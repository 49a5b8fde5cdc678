// Turns a resolved rigtune.yaml into what the Service runs: per rig its scorer options and its sources
// (built lazily through the registry, each keyed by its whole configuration), and the cadences.

import type { Config } from '../config/index.ts';
import type { ErrorWhere } from '../core/errors.ts';
import { type ActuatorRegistryDeps, actuatorEntry } from './actuator-registry.ts';
import type { ActuatorSpec } from './autotune-rig.ts';
import { canonicalJson } from './rig-table.ts';
import type { ServiceRig, ServiceSampling } from './service.ts';
import { sourceEntry } from './source-registry.ts';

/** Receives a source's mapping warnings (unknown unit, missing key) for the service to log and count. */
/** A source's warning (`warn`) or routine note (`note`, logged at info), with the source's kind and rig. */
export type SourceWarn = (
  kind: string,
  rig: string,
  message: string,
  where: ErrorWhere,
  level: 'warn' | 'note',
) => void;

/** The service's cadences from `sampling:`. */
export function serviceSampling(config: Config): ServiceSampling {
  const { intervalMs, burstIntervalMs, burstDurationMs } = config.sampling;
  return { intervalMs, burstIntervalMs, burstDurationMs };
}

/** A rig's actuator as the service builds it (when its controller is set up), keyed by its config. */
function actuatorSpec(
  rig: Config['rigs'][number],
  env: Readonly<Record<string, string | undefined>>,
  deps: ActuatorRegistryDeps,
): ActuatorSpec | undefined {
  const a = rig.actuator;
  if (a === null) return undefined;
  const entry = actuatorEntry(a.kind);
  return {
    key: canonicalJson(a),
    kind: a.kind,
    create: () => {
      const driver = entry.create(a.options, rig.name, { ...deps, env });
      return deps.wrap === undefined ? driver : deps.wrap(rig.name, driver);
    },
  };
}

/**
 * Every rig of `config` as the service runs it. A source polls at its own `interval_ms`, never faster
 * than `sampling.interval_ms`, and each poll is limited to `sampling.timeout_ms`. Sources and
 * actuators are created only when the service starts them (a reload leaves unchanged ones alone);
 * `actuators` hands the drivers what they need beyond their options (the sim fleet).
 */
export function serviceRigs(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  warn?: SourceWarn,
  actuators: ActuatorRegistryDeps = {},
): ServiceRig[] {
  return config.rigs.map((rig) => ({
    name: rig.name,
    scorer: rig.scorer as ServiceRig['scorer'],
    advisory: rig.advisory,
    autotune: rig.autotune,
    autotuneOptions: rig.autotuneOptions,
    optimizerOptions: rig.optimizerOptions,
    actuator: actuatorSpec(rig, env, actuators),
    sources: rig.sources.map((s) => {
      const entry = sourceEntry(s.kind);
      const interval = (s.options as { interval_ms?: number }).interval_ms;
      const intervalMs = Math.max(interval ?? 0, config.sampling.intervalMs);
      const timeoutMs = config.sampling.timeoutMs;
      const report = (level: 'warn' | 'note') =>
        warn === undefined ? undefined : (m: string, w: ErrorWhere) => warn(s.kind, rig.name, m, w, level);
      return {
        key: canonicalJson({ kind: s.kind, options: s.options, intervalMs, timeoutMs }),
        kind: s.kind,
        create: () =>
          entry.create(s.options, { rig: rig.name, env, warn: report('warn'), note: report('note') }),
        fastCapable: entry.fastCapable,
        intervalMs,
        timeoutMs,
      };
    }),
  }));
}
