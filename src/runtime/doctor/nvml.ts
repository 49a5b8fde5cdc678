// `rigtune doctor`'s NVML check: can the NVIDIA management library be loaded through rigtune's own
// binding, how many GPUs does it see, and which driver runs them (NVML's answer, else the kernel module's).

import { readFile } from 'node:fs/promises';
import { SourceError } from '../../core/errors.ts';
import { DEFAULT_NVML_LIBRARY, NvmlClient, type NvmlSystemVersions } from '../../protocols/nvml/index.ts';
import { type CheckResult, messageOf, plural } from './types.ts';

/** The NVIDIA kernel module's version file (its version is the driver's): the fallback when NVML cannot tell. */
export const DRIVER_VERSION_FILE = '/proc/driver/nvidia/version';

export interface NvmlCheckOptions {
  /** Library path; default $RIGTUNE_NVML_LIB, else libnvidia-ml.so.1 (as the nvml source does). */
  readonly libraryPath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An nvml source is configured: a missing library is then a failure, not a warning. */
  readonly required: boolean;
  /** Where the driver version is read when NVML cannot give it; default DRIVER_VERSION_FILE. */
  readonly driverVersionFile?: string;
}

/** `Kernel Module  580.65.06` from the NVRM version line, or null when the file is absent or different. */
export async function readDriverVersion(file = DRIVER_VERSION_FILE): Promise<string | null> {
  try {
    const text = await readFile(file, 'utf8');
    return /Kernel Module\s+(\d+(?:\.\d+)+)/.exec(text)?.[1] ?? null;
  } catch {
    // No NVIDIA kernel module (or no /proc): the version is simply unknown.
    return null;
  }
}

/** `NVIDIA H100 80GB HBM3 ×2, NVIDIA A10` from device names. */
function modelList(names: readonly (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n ?? 'unnamed GPU', (counts.get(n ?? 'unnamed GPU') ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `${n} ×${c}` : n)).join(', ');
}

/** Where the reported driver version came from: NVML itself, the kernel module's file, or nowhere. */
export type DriverVersionSource = 'nvml' | 'proc' | null;

/** The version facts of the check's details (`--json`). */
interface DriverVersion {
  /** e.g. `580.159.04`; null when neither NVML nor the kernel module's file tells. */
  readonly driver: string | null;
  readonly driver_source: DriverVersionSource;
  /** NVML's own version, e.g. `13.580.159.04`; null without NVML. */
  readonly nvml_version: string | null;
}

/** The driver version through NVML (nvmlSystemGetDriverVersion), else from `file`; never throws. */
async function driverVersion(client: NvmlClient | null, file: string | undefined): Promise<DriverVersion> {
  let nvml: Omit<NvmlSystemVersions, 'issues'> = { driverVersion: null, nvmlVersion: null };
  if (client !== null) {
    try {
      nvml = await client.systemVersions();
    } catch {
      // A fatal NVML code here shows again in the GPU count below; the file may still know.
    }
  }
  if (nvml.driverVersion !== null)
    return { driver: nvml.driverVersion, driver_source: 'nvml', nvml_version: nvml.nvmlVersion };
  const fromFile = await readDriverVersion(file);
  return {
    driver: fromFile,
    driver_source: fromFile === null ? null : 'proc',
    nvml_version: nvml.nvmlVersion,
  };
}

/** Loads NVML, counts the GPUs, reads the driver version; never throws. */
export async function checkNvml(o: NvmlCheckOptions): Promise<CheckResult> {
  const libraryPath = o.libraryPath ?? o.env.RIGTUNE_NVML_LIB ?? DEFAULT_NVML_LIBRARY;
  const missing = o.required ? 'fail' : 'warn';
  let client: NvmlClient;
  try {
    client = await NvmlClient.open({ libraryPath });
  } catch (err) {
    const version = await driverVersion(null, o.driverVersionFile);
    const notLoadable = err instanceof SourceError && /not loadable|koffi/.test(err.message);
    const message = notLoadable
      ? `no NVIDIA driver found (${libraryPath} not loadable): GPU sources will not work` +
        (o.required ? '; install the NVIDIA driver or set library_path / RIGTUNE_NVML_LIB' : '')
      : `NVML is installed but does not start (${messageOf(err)}): GPU sources will not work; ` +
        'check that the NVIDIA driver is loaded (nvidia-smi should list the GPUs)';
    return {
      check: 'nvml',
      status: missing,
      message,
      details: { library: libraryPath, ...version, error: messageOf(err) },
    };
  }
  const version = await driverVersion(client, o.driverVersionFile);
  const { driver } = version;
  const driverText = driver === null ? 'driver version unknown' : `driver ${driver}`;
  try {
    const { devices, skipped } = await client.listDevices();
    const details = {
      library: libraryPath,
      ...version,
      devices: devices.length,
      models: devices.map((d) => d.name),
      skipped: skipped.map((s) => ({ index: s.index, error: s.issue.name })),
    };
    if (devices.length === 0 && skipped.length === 0)
      return {
        check: 'nvml',
        status: 'warn',
        message: `NVML loads (${driverText}) but sees no GPU: GPU sources will report no device`,
        details,
      };
    if (skipped.length > 0)
      return {
        check: 'nvml',
        status: 'warn',
        message:
          `NVML sees ${plural(devices.length + skipped.length, 'GPU')} but cannot open ${skipped.length} ` +
          `(${skipped.map((s) => `GPU ${s.index}: ${s.issue.name}`).join(', ')}); ${driverText}`,
        details,
      };
    return {
      check: 'nvml',
      status: 'ok',
      message: `NVML loads from ${libraryPath}: ${plural(devices.length, 'GPU')} (${modelList(devices.map((d) => d.name))}), ${driverText}`,
      details,
    };
  } catch (err) {
    return {
      check: 'nvml',
      status: 'fail',
      message: `NVML loads but cannot count the GPUs (${messageOf(err)}): GPU sources will not work`,
      details: { library: libraryPath, ...version, error: messageOf(err) },
    };
  } finally {
    await client.close();
  }
}
