// The resolved configuration handed to the runtime: defaults applied, secrets read, thresholds
// merged per rig, camelCase for config's own keys; components' options keep their snake_case.

import type { AdvisoryOptions } from '../control/advisory/options.ts';
import type { AutotuneOptions } from '../control/autotune/options.ts';
import type { OptimizerOptions } from '../control/optimizer/options.ts';
import type { ActuatorKind, ActuatorOptionsOf } from './actuator-kinds.ts';
import type { AutotuneMode } from './control.ts';
import type { ScorerSettings } from './scorer-settings.ts';
import type { AuditOptions, ParquetSinkOptions, PrometheusOptions, ValkeyOptions } from './sinks.ts';
import type { SourceKind, SourceOptionsOf } from './source-kinds.ts';

/** One source of a rig: its kind and its validated options (that kind's options schema output). */
export type SourceConfig = {
  readonly [K in SourceKind]: { readonly kind: K; readonly options: SourceOptionsOf<K> };
}[SourceKind];

/** A rig's actuator: its kind and its validated options (that driver's options schema output). */
export type ActuatorConfig = {
  readonly [K in ActuatorKind]: { readonly kind: K; readonly options: ActuatorOptionsOf<K> };
}[ActuatorKind];

export interface RigConfig {
  /** Unique within the file. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The auto-tune mode (`autotune:` or its `mode:`); `auto` only with an actuator. */
  readonly autotune: AutotuneMode;
  /** The auto-tune controller's options (snake_case, as the controller reads them), defaults applied. */
  readonly autotuneOptions: AutotuneOptions;
  /** The optimizer's options (`optimizer:`, snake_case as the optimizer reads them), defaults applied. */
  readonly optimizerOptions: OptimizerOptions;
  /** The driver that changes the rig's settings; null = none (the rig is advised, never tuned). */
  readonly actuator: ActuatorConfig | null;
  /** In file order. */
  readonly sources: readonly SourceConfig[];
  /** Effective scorer settings: built-in defaults, then `defaults:`, then this rig's `thresholds:`. */
  readonly scorer: ScorerSettings;
  /** Effective advisory options (snake_case, as the engine reads them), merged the same way. */
  readonly advisory: AdvisoryOptions;
}

export interface HttpConfig {
  readonly host: string;
  /** TCP port; 0 = any free port. */
  readonly port: number;
}

/** The `control:` section, resolved. */
export interface ControlConfig {
  /** Directory of the action journal (`control.journal_dir`, default `<data_dir>/journal`). */
  readonly journalDir: string;
  /** Variable the token came from (`control.api_token_env` or `http.token_env`); null otherwise. */
  readonly tokenEnv: string | null;
  /** The control API bearer token (a secret; redactConfig hides it); null = none: writes get 401. */
  readonly token: string | null;
  /** Start with the global kill switch engaged. */
  readonly killSwitch: boolean;
}

export interface SamplingConfig {
  readonly intervalMs: number;
  readonly burstIntervalMs: number;
  /** 0 = no bursts. */
  readonly burstDurationMs: number;
  readonly timeoutMs: number;
}

/** Valkey options with the URL read (from `url` or the `url_env` variable) and the spool placed. */
export type ValkeyConfig = Omit<ValkeyOptions, 'url' | 'url_env' | 'spool_dir'> & {
  /** The server URL (may hold a password; redactConfig hides it). */
  readonly url: string;
  readonly url_env: string | null;
  readonly spool_dir: string;
};

export interface SinksConfig {
  /** null = no Valkey: the embedded in-process store serves latest state and pub/sub. */
  readonly valkey: ValkeyConfig | null;
  readonly prometheus: PrometheusOptions;
  readonly parquet: ParquetSinkOptions & { readonly data_dir: string };
  readonly audit: AuditOptions & { readonly dir: string };
}

/** A validated, immutable (deeply frozen) configuration. */
export interface Config {
  /** The file it was read from, as given to the loader. */
  readonly file: string;
  readonly dataDir: string;
  readonly http: HttpConfig;
  readonly sampling: SamplingConfig;
  /** Scorer settings from built-in defaults and `defaults:` (what a rig without overrides gets). */
  readonly defaults: ScorerSettings;
  readonly sinks: SinksConfig;
  readonly control: ControlConfig;
  /** In file order; names are unique. */
  readonly rigs: readonly RigConfig[];
}
