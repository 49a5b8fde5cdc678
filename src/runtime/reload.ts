// A SIGHUP reload of the running service: re-read rigtune.yaml, apply what can change live (rigs,
// sources, thresholds, cadences), keep and log what needs a restart, keep everything on a bad file.

import { type Config, type ConfigDiff, diffConfig, reloadConfig } from '../config/index.ts';
import type { RigtuneError } from '../core/errors.ts';
import type { ActuatorRegistryDeps } from './actuator-registry.ts';
import type { ReconfigureReport, Service } from './service.ts';
import { type SourceWarn, serviceRigs, serviceSampling } from './service-config.ts';

/** What a reload did. */
export interface ReloadOutcome {
  /** False when the file could not be read or is invalid: nothing changed. */
  readonly ok: boolean;
  /** The file's problem (RT_CONFIG_INVALID with file:line:column, RT_INPUT_NOT_FOUND); null when ok. */
  readonly error: RigtuneError | null;
  readonly diff: ConfigDiff | null;
  /**
   * Changed parts that only a restart applies (`http`, `data_dir`, `sinks.valkey`,
   * `control.journal_dir`, `rigs.<name>.actuator`…): kept as before.
   */
  readonly needsRestart: readonly string[];
  readonly applied: ReconfigureReport | null;
  /** The configuration running afterwards (the old one on failure). */
  readonly config: Config;
}

export interface LiveReloadDeps {
  readonly service: Service;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly warn?: SourceWarn;
  /** What actuator drivers are handed (the sim fleet); default nothing. */
  readonly actuators?: ActuatorRegistryDeps;
}

/** Parts of `diff` (from `before` to `after`) that cannot change while running. */
export function partsNeedingRestart(diff: ConfigDiff, before?: Config, after?: Config): string[] {
  const parts: string[] = [];
  if (diff.httpChanged) parts.push('http');
  if (diff.dataDirChanged) parts.push('data_dir');
  for (const s of diff.sinksChanged) parts.push(`sinks.${s}`);
  if (before !== undefined && after !== undefined && before.control.journalDir !== after.control.journalDir)
    parts.push('control.journal_dir');
  // A running controller keeps the driver it started with (its devices, sessions, libraries).
  for (const r of diff.rigsChanged) if (r.parts.includes('actuator')) parts.push(`rigs.${r.name}.actuator`);
  return parts;
}

/**
 * Applies `next` to the service running `current`: rigs, sources, thresholds and sampling live; http,
 * data_dir and sinks stay as they are (logged as needing a restart). Logs one line per reload.
 */
export async function applyConfig(
  current: Config,
  next: Config,
  deps: LiveReloadDeps,
): Promise<ReloadOutcome> {
  const diff = diffConfig(current, next);
  const needsRestart = partsNeedingRestart(diff, current, next);
  // Started without any actuator: no journal is open, so no controller can be added live.
  if (deps.service.control() === null)
    for (const r of next.rigs)
      if (r.actuator !== null && !needsRestart.includes(`rigs.${r.name}.actuator`))
        needsRestart.push(`rigs.${r.name}.actuator`);
  // What runs afterwards: the new rigs and cadences on the old sinks, HTTP server and data directory
  // (and journal); the control API token and the configured kill switch apply now.
  const control = { ...next.control, journalDir: current.control.journalDir };
  const running = new Map(current.rigs.map((r) => [r.name, r.actuator]));
  const config: Config = {
    ...next,
    // A rig that stays keeps its running actuator (a changed one needs a restart).
    rigs: next.rigs.map((r) => (running.has(r.name) ? { ...r, actuator: running.get(r.name) ?? null } : r)),
    http: current.http,
    sinks: current.sinks,
    dataDir: current.dataDir,
    control,
  };
  const applied = await deps.service.reconfigure(
    serviceRigs(config, deps.env, deps.warn, deps.actuators),
    serviceSampling(config),
  );
  if (current.control.killSwitch !== control.killSwitch)
    deps.service.control()?.setKillSwitch(control.killSwitch, 'configuration (control.kill_switch)');
  if (needsRestart.length > 0)
    deps.service.report({
      component: 'runtime',
      code: 'config_needs_restart',
      level: 'warn',
      msg: 'Configuration change needs a restart; the running value is kept.',
      rateLimited: false,
      fields: { file: next.file, parts: needsRestart },
    });
  deps.service.report({
    component: 'runtime',
    code: 'config_reloaded',
    level: 'info',
    msg: 'Configuration reloaded.',
    rateLimited: false,
    fields: {
      file: next.file,
      unchanged: diff.isEmpty,
      rigs: config.rigs.length,
      rigs_added: applied.rigsAdded,
      rigs_removed: applied.rigsRemoved,
      rigs_changed: diff.rigsChanged.map((r) => `${r.name}:${r.parts.join('+')}`),
      // Their scorer options changed: their scoring windows start afresh (latest state kept).
      scorers_rebuilt: applied.scorersRebuilt,
      sources_started: applied.sourcesStarted,
      sources_stopped: applied.sourcesStopped,
      sources_failed: applied.sourcesFailed,
      sampling_changed: diff.samplingChanged,
    },
  });
  return { ok: true, error: null, diff, needsRestart, applied, config };
}

/**
 * Re-reads `path` and applies it (see applyConfig). A bad or unreadable file is logged as an error
 * naming file:line:column, and `current` keeps running. `adjust` applies command-line overrides.
 */
export async function reloadFromFile(
  path: string,
  current: Config,
  deps: LiveReloadDeps & { readonly adjust?: (c: Config) => Config },
): Promise<ReloadOutcome> {
  const result = reloadConfig(path, current, { env: deps.env });
  if (!result.ok) {
    const where = result.error.where;
    deps.service.report({
      component: 'runtime',
      code: result.error.code,
      level: 'error',
      msg: 'Configuration reload failed; the running configuration is kept.',
      rateLimited: false,
      err: result.error,
      fields: { file: where.file ?? path, line: where.line, column: where.column },
    });
    return { ok: false, error: result.error, diff: null, needsRestart: [], applied: null, config: current };
  }
  return applyConfig(current, deps.adjust === undefined ? result.config : deps.adjust(result.config), deps);
}
