// A read-only NVML client over koffi: loads libnvidia-ml.so.1 (or a given path), initialises NVML,
// enumerates GPUs and reads their gauges. Read-only: it binds getters and nothing that changes a GPU.

import { SourceError } from '../../core/errors.ts';
import { bindFunctions, declareTypes, NVML_SYMBOLS, type NvmlSymbol } from './bindings.ts';
import { type CallTarget, NvmlCallError, NvmlCalls } from './calls.ts';
import {
  DEFAULT_NVML_LIBRARY,
  NVML_RETURN,
  NVML_SYSTEM_VERSION_BUFFER_SIZE,
  nvmlReturnName,
} from './constants.ts';
import { cString, readGauges, readIdentity } from './read-device.ts';
import type { NvmlDevice, NvmlDeviceReading, NvmlIssue, NvmlSystemVersions } from './types.ts';

/** Options of `NvmlClient.open`. */
export interface NvmlOpenOptions {
  /** Library file name or path; default `libnvidia-ml.so.1`, found by the dynamic loader. */
  readonly libraryPath?: string;
}

/** A GPU that enumeration could not open, and why. */
export interface NvmlSkippedDevice {
  readonly index: number;
  /** The failed call (handle refused, e.g. NO_PERMISSION inside a cgroup, or GPU_IS_LOST). */
  readonly issue: NvmlIssue;
  /** True when the code makes the GPU unreadable (GPU_IS_LOST, RESET_REQUIRED, …). */
  readonly fatal: boolean;
}

/** Result of `listDevices`: the GPUs that could be opened, and why others could not. */
export interface NvmlEnumeration {
  readonly devices: readonly NvmlDevice[];
  readonly skipped: readonly NvmlSkippedDevice[];
}

/** Options of `readDevice`. */
export interface NvmlReadOptions {
  /** Aborts between calls with SourceError('timeout'). */
  readonly signal?: AbortSignal;
  /** Read PCIe TX/RX throughput (each call samples for 20 ms in the driver); default true. */
  readonly pcieThroughput?: boolean;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An initialised NVML library. Create with `open`, release with `close`. */
export class NvmlClient {
  readonly #calls: NvmlCalls;
  #closed = false;

  private constructor(calls: NvmlCalls) {
    this.#calls = calls;
  }

  /** The library file or path this client loaded. */
  get libraryPath(): string {
    return this.#calls.libraryPath;
  }

  /**
   * Loads the library and calls nvmlInit_v2. Throws SourceError 'unsupported' when koffi or the
   * library cannot be loaded (the message names the path tried), the file lacks NVML's core symbols,
   * or the driver is not loaded; 'status' for any other nvmlInit_v2 failure.
   */
  static async open(options: NvmlOpenOptions = {}): Promise<NvmlClient> {
    const path = options.libraryPath ?? DEFAULT_NVML_LIBRARY;
    let koffi: typeof import('koffi').default;
    try {
      koffi = (await import('koffi')).default;
    } catch (err) {
      throw new SourceError(
        'unsupported',
        `The koffi FFI module cannot be loaded, so NVML cannot be read: ${message(err)}`,
        {},
        { cause: err },
      );
    }
    let lib: ReturnType<typeof koffi.load>;
    try {
      lib = koffi.load(path);
    } catch (err) {
      throw new SourceError(
        'unsupported',
        `NVML library not loadable: tried '${path}' (${message(err)}); install the NVIDIA driver or point library_path / RIGTUNE_NVML_LIB at libnvidia-ml.so.1`,
        { file: path },
        { cause: err },
      );
    }
    const calls = new NvmlCalls(bindFunctions(koffi, lib, declareTypes(koffi)), path);
    const missing = (Object.keys(NVML_SYMBOLS) as NvmlSymbol[]).filter(
      (s) => NVML_SYMBOLS[s] && !calls.has(s),
    );
    if (missing.length > 0)
      throw new SourceError(
        'unsupported',
        `'${path}' is not a usable NVML library: it lacks ${missing.join(', ')}`,
        {
          file: path,
        },
      );
    const rc = await calls.raw('nvmlInit_v2', []);
    if (rc !== NVML_RETURN.SUCCESS) {
      const code = rc ?? NVML_RETURN.ERROR_FUNCTION_NOT_FOUND;
      const noDriver =
        code === NVML_RETURN.ERROR_DRIVER_NOT_LOADED || code === NVML_RETURN.ERROR_LIBRARY_NOT_FOUND;
      throw new SourceError(
        noDriver ? 'unsupported' : 'status',
        `nvmlInit_v2 failed (library '${path}'): ${calls.errorString(code)} [${nvmlReturnName(code)}]`,
        { file: path, command: 'nvmlInit_v2' },
      );
    }
    return new NvmlClient(calls);
  }

  #assertOpen(): void {
    if (this.#closed) throw new SourceError('unsupported', `NVML client for '${this.libraryPath}' is closed`);
  }

  /**
   * Counts the GPUs and reads each one's identity. Throws SourceError('status') when the count fails;
   * a GPU whose handle or identity NVML refuses (including a lost GPU) is reported in `skipped`.
   */
  async listDevices(): Promise<NvmlEnumeration> {
    this.#assertOpen();
    const countIssues: NvmlIssue[] = [];
    const count = [0];
    const none: CallTarget = { index: -1, pciBusId: null };
    if (!(await this.#calls.invoke(none, 'nvmlDeviceGetCount_v2', [count], countIssues))) {
      const issue = countIssues[0];
      throw new SourceError('status', `nvmlDeviceGetCount_v2 failed: ${issue.message} [${issue.name}]`, {
        command: 'nvmlDeviceGetCount_v2',
      });
    }
    const devices: NvmlDevice[] = [];
    const skipped: NvmlSkippedDevice[] = [];
    for (let index = 0; index < Number(count[0]); index += 1) {
      const issues: NvmlIssue[] = [];
      const handle: unknown[] = [null];
      const target: CallTarget = { index, pciBusId: null };
      try {
        if (await this.#calls.invoke(target, 'nvmlDeviceGetHandleByIndex_v2', [index, handle], issues))
          devices.push(await readIdentity(this.#calls, index, handle[0]));
        else skipped.push({ index, issue: issues[0], fatal: false });
      } catch (err) {
        if (!(err instanceof NvmlCallError)) throw err;
        const issue = {
          call: err.call,
          code: err.nvmlCode,
          name: nvmlReturnName(err.nvmlCode),
          message: err.message,
        };
        skipped.push({ index, issue, fatal: true });
      }
    }
    return { devices, skipped };
  }

  /**
   * The driver and NVML library versions (read-only system queries). A missing symbol or a non-fatal
   * code gives null plus an entry in `issues`; a fatal code throws NvmlCallError.
   */
  async systemVersions(): Promise<NvmlSystemVersions> {
    this.#assertOpen();
    const issues: NvmlIssue[] = [];
    const system: CallTarget = { index: -1, pciBusId: null };
    const read = async (symbol: 'nvmlSystemGetDriverVersion' | 'nvmlSystemGetNVMLVersion') => {
      const buffer = Buffer.alloc(NVML_SYSTEM_VERSION_BUFFER_SIZE);
      const ok = await this.#calls.invoke(system, symbol, [buffer, buffer.length], issues);
      return ok ? cString(buffer) : null;
    };
    const driverVersion = await read('nvmlSystemGetDriverVersion');
    const nvmlVersion = await read('nvmlSystemGetNVMLVersion');
    return { driverVersion, nvmlVersion, issues };
  }

  /**
   * Reads every gauge and counter of `device` (from this client's `listDevices`). Unsupported or
   * missing calls give null values listed in `issues`; GPU_IS_LOST and other fatal codes throw
   * NvmlCallError (SourceError 'status') naming the device; an aborted signal throws 'timeout'.
   */
  async readDevice(device: NvmlDevice, options: NvmlReadOptions = {}): Promise<NvmlDeviceReading> {
    this.#assertOpen();
    return readGauges(this.#calls, device, options.signal, options.pcieThroughput ?? true);
  }

  /** Waits for calls in flight, then nvmlShutdown. Idempotent; the library stays mapped. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#calls.settled();
    // The shutdown result is not actionable: the client is gone either way.
    await this.#calls.raw('nvmlShutdown', []);
  }
}
