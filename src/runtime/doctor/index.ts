// Public face of runtime/doctor: the checks behind `rigtune doctor` that need no source probe — NVML,
// Valkey, the data directory, the Parquet history and the HTTP bind address — run over one config.

import type { Config } from '../../config/index.ts';
import { checkDataDir } from './data-dir.ts';
import { checkHttpBind } from './http-bind.ts';
import { checkNvml } from './nvml.ts';
import { checkParquetHistory } from './parquet-history.ts';
import type { CheckResult } from './types.ts';
import { checkValkey } from './valkey.ts';

export { checkDataDir, LOW_SPACE_BYTES, NO_SPACE_BYTES } from './data-dir.ts';
export { checkHttpBind } from './http-bind.ts';
export { checkNvml, DRIVER_VERSION_FILE, type NvmlCheckOptions, readDriverVersion } from './nvml.ts';
export { checkParquetHistory, MAX_FILES_OPENED } from './parquet-history.ts';
export type { CheckResult, CheckStatus } from './types.ts';
export { checkValkey, endpointOf, SLOW_PING_MS } from './valkey.ts';

/** What the checks read besides the config. */
export interface DoctorOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Limit of each network step (connect, each command), ms. */
  readonly timeoutMs: number;
  /** NVML library path instead of $RIGTUNE_NVML_LIB / libnvidia-ml.so.1 (tests). */
  readonly nvmlLibraryPath?: string;
  /** Driver version file instead of /proc/driver/nvidia/version (tests). */
  readonly driverVersionFile?: string;
}

/**
 * Runs the checks of one configuration in parallel and returns them in a fixed order: nvml, valkey,
 * data dir, history, http. Without Valkey configured the valkey line says the embedded store serves.
 */
export async function runtimeChecks(config: Config, o: DoctorOptions): Promise<CheckResult[]> {
  const nvmlSource = config.rigs.some((r) => r.sources.some((s) => s.kind === 'nvml'));
  const valkey = config.sinks.valkey;
  const parquet = config.sinks.parquet;
  return Promise.all([
    checkNvml({
      env: o.env,
      required: nvmlSource,
      libraryPath: o.nvmlLibraryPath,
      driverVersionFile: o.driverVersionFile,
    }),
    valkey === null
      ? Promise.resolve<CheckResult>({
          check: 'valkey',
          status: 'ok',
          message: 'not configured: the embedded in-process store serves the latest state and the API',
        })
      : checkValkey(valkey.url, { timeoutMs: o.timeoutMs }),
    checkDataDir(config.dataDir),
    parquet.enabled
      ? checkParquetHistory(parquet.data_dir)
      : Promise.resolve<CheckResult>({ check: 'history', status: 'ok', message: 'Parquet history is off' }),
    checkHttpBind(config.http.host, config.http.port),
  ]);
}
