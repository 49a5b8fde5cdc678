// Public face of config: loads and validates `rigtune.yaml` (every error with file:line:column),
// reads secrets from the environment, diffs two configs for SIGHUP reloads, redacts for printing.

export {
  ACTUATOR_KIND_NAMES,
  ACTUATOR_KINDS,
  type ActuatorKind,
  type ActuatorOptionsOf,
  isActuatorKind,
} from './actuator-kinds.ts';
export { ConfigError, type ConfigIssue, formatIssue, MAX_PRINTED_ISSUES } from './config-error.ts';
export { type ConfigDiff, diffConfig, type RigChange, type RigPart, type SinkName } from './diff.ts';
export type { Env } from './env.ts';
export { type LoadOptions, loadConfig, type ReloadResult, reloadConfig } from './load.ts';
export { MAX_CONFIG_CHARS, parseConfigText } from './parse.ts';
export { REDACTED, redactConfig } from './redact.ts';
export { renderConfigReference } from './reference.ts';
export { AUTOTUNE_MODES, type AutotuneMode, ConfigSchema } from './schema.ts';
export {
  type ChangepointSettings,
  DEFAULT_THRESHOLDS,
  type HealthSettings,
  type ScorerSettings,
} from './scorer-settings.ts';
export {
  isSourceKind,
  SOURCE_KIND_NAMES,
  SOURCE_KINDS,
  type SourceKind,
  type SourceOptionsOf,
} from './source-kinds.ts';
export type {
  ActuatorConfig,
  Config,
  ControlConfig,
  HttpConfig,
  RigConfig,
  SamplingConfig,
  SinksConfig,
  SourceConfig,
  ValkeyConfig,
} from './types.ts';
