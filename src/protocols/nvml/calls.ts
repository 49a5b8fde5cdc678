// One NVML call at a time through koffi's async worker threads (NVML can block for milliseconds,
// the event loop must not), with the return code turned into success, a recorded issue, or an error.

import { SourceError } from '../../core/errors.ts';
import type { NvmlFunctions, NvmlSymbol } from './bindings.ts';
import { FATAL_RETURNS, NVML_RETURN, nvmlReturnName } from './constants.ts';
import type { NvmlIssue } from './types.ts';

/** The device a call is for, named in errors. */
export interface CallTarget {
  readonly index: number;
  readonly pciBusId: string | null;
}

/** Per-call settings of `invoke`. */
export interface InvokeOptions {
  /** Shown after the function name where one function serves several fields, e.g. `NVML_CLOCK_SM`. */
  readonly selector?: string;
  readonly signal?: AbortSignal;
}

/** A fatal NVML return code (GPU lost, reset required, library uninitialised) on a device call. */
export class NvmlCallError extends SourceError {
  /** The nvmlReturn_t code, e.g. 15 for NVML_ERROR_GPU_IS_LOST. */
  readonly nvmlCode: number;
  /** The call that returned it, with its selector. */
  readonly call: string;

  constructor(call: string, nvmlCode: number, message: string, device: string | undefined) {
    super('status', message, { device, command: call });
    this.name = 'NvmlCallError';
    this.nvmlCode = nvmlCode;
    this.call = call;
  }
}

/** Describes a device for messages: `GPU 0 (00000000:00:06.0)`; a negative index is a system call. */
export function describeTarget(target: CallTarget): string {
  if (target.index < 0) return 'the system';
  return target.pciBusId ? `GPU ${target.index} (${target.pciBusId})` : `GPU ${target.index}`;
}

/** The bound functions of one loaded library, and the bookkeeping close() needs. */
export class NvmlCalls {
  readonly libraryPath: string;
  readonly #fns: NvmlFunctions;
  #inFlight = 0;
  #waiters: (() => void)[] = [];

  constructor(fns: NvmlFunctions, libraryPath: string) {
    this.#fns = fns;
    this.libraryPath = libraryPath;
  }

  /** True when the library exports `symbol`. */
  has(symbol: NvmlSymbol): boolean {
    return this.#fns[symbol] !== null;
  }

  /** nvmlErrorString of `code`, or its symbolic name when the library has no nvmlErrorString. */
  errorString(code: number): string {
    const fn = this.#fns.nvmlErrorString;
    const text = fn ? fn(code) : null;
    return typeof text === 'string' && text !== '' ? text : nvmlReturnName(code);
  }

  /** Calls `symbol` on a worker thread; resolves with its return code, null when the symbol is absent. */
  async raw(symbol: NvmlSymbol, args: readonly unknown[]): Promise<number | null> {
    const fn = this.#fns[symbol];
    if (!fn) return null;
    this.#inFlight += 1;
    try {
      return await new Promise<number>((resolve, reject) => {
        fn.async(...args, (err: unknown, rc: unknown) => (err ? reject(err) : resolve(Number(rc))));
      });
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /**
   * Calls a device query. True on NVML_SUCCESS. A missing symbol or a non-fatal code (NOT_SUPPORTED,
   * NO_PERMISSION, …) is pushed to `issues` and gives false; a fatal code (GPU_IS_LOST, …) throws
   * NvmlCallError (a SourceError 'status') naming the device; an abort throws SourceError('timeout').
   */
  async invoke(
    target: CallTarget,
    symbol: NvmlSymbol,
    args: readonly unknown[],
    issues: NvmlIssue[],
    options: InvokeOptions = {},
  ): Promise<boolean> {
    const call = options.selector ? `${symbol}(${options.selector})` : symbol;
    if (options.signal?.aborted)
      throw new SourceError('timeout', `NVML read of ${describeTarget(target)} aborted before ${call}`, {
        device: target.pciBusId ?? undefined,
        command: call,
      });
    let rc: number | null;
    try {
      rc = await this.raw(symbol, args);
    } catch (err) {
      // koffi failed to marshal the call (a binding bug, never a device state): surface it.
      throw new SourceError(
        'protocol',
        `NVML call ${call} could not be made: ${String(err)}`,
        { command: call },
        {
          cause: err,
        },
      );
    }
    if (rc === null) {
      issues.push({
        call,
        code: NVML_RETURN.ERROR_FUNCTION_NOT_FOUND,
        name: nvmlReturnName(NVML_RETURN.ERROR_FUNCTION_NOT_FOUND),
        message: `${symbol} is not exported by ${this.libraryPath} (older driver)`,
      });
      return false;
    }
    return this.check(target, call, rc, issues);
  }

  /** Applies the return-code rules of `invoke` to a code already in hand (e.g. a field value's). */
  check(target: CallTarget, call: string, rc: number, issues: NvmlIssue[]): boolean {
    if (rc === NVML_RETURN.SUCCESS) return true;
    const name = nvmlReturnName(rc);
    const message = this.errorString(rc);
    if (FATAL_RETURNS.has(rc))
      throw new NvmlCallError(
        call,
        rc,
        `NVML ${call} failed for ${describeTarget(target)}: ${message} [${name}]`,
        target.pciBusId ?? undefined,
      );
    issues.push({ call, code: rc, name, message });
    return false;
  }

  /** Resolves once no call is running (close() waits for this before nvmlShutdown). */
  async settled(): Promise<void> {
    if (this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}
