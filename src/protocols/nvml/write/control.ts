// The write side of the NVML binding: the read client enumerates GPUs, this binds the set calls and the
// limit/read-back getters of the same library, and returns each call's outcome as a value (no throwing).

import { ActuatorError } from '../../../core/errors.ts';
import { NvmlClient, type NvmlEnumeration, type NvmlOpenOptions } from '../client.ts';
import { DEFAULT_NVML_LIBRARY, NVML_CLOCK, NVML_RETURN, nvmlReturnName } from '../constants.ts';
import type { NvmlDevice, NvmlIssue } from '../types.ts';
import { bindControlFunctions, type NvmlControlFunctions, type NvmlControlSymbol } from './symbols.ts';

/** A call's result: its value on NVML_SUCCESS, else the failed call with its nvmlReturn_t code. */
export type NvmlOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issue: NvmlIssue };

/** `nvmlFanControlPolicy_t`: the driver's curve, or a fixed speed set through nvmlDeviceSetFanSpeed_v2. */
export const NVML_FAN_POLICY = { TEMPERATURE_CONTINOUS_SW: 0, MANUAL: 1 } as const;

/** Room for any real clock table (an H100 lists ~110 graphics clocks); a larger one is re-asked once. */
const CLOCK_TABLE_SIZE = 256;
const UINT32_MAX = 0xffffffff;

/** Throws ActuatorError out_of_bounds unless `v` fits an `unsigned int` argument. */
function checkUint(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX)
    throw new ActuatorError('out_of_bounds', `${what} ${v} is not an unsigned 32-bit integer`);
}

/** NVML's set calls and the getters an actuator needs, on one initialised library. */
export class NvmlControl {
  readonly #reader: NvmlClient;
  readonly #fns: NvmlControlFunctions;
  readonly #errorString: (code: number) => string;
  #inFlight = 0;
  #waiters: (() => void)[] = [];

  private constructor(reader: NvmlClient, fns: NvmlControlFunctions, errorString: (code: number) => string) {
    this.#reader = reader;
    this.#fns = fns;
    this.#errorString = errorString;
  }

  /**
   * Opens the read client (nvmlInit_v2) and binds the control symbols of the same library. Throws
   * SourceError as NvmlClient.open does ('unsupported' when the library or driver is missing).
   */
  static async open(options: NvmlOpenOptions = {}): Promise<NvmlControl> {
    const reader = await NvmlClient.open(options);
    try {
      const koffi = (await import('koffi')).default;
      // koffi.load of an already loaded path returns the same dlopen handle: one NVML state.
      const lib = koffi.load(options.libraryPath ?? DEFAULT_NVML_LIBRARY);
      const fns = bindControlFunctions(koffi, lib);
      const errorFn = fns.nvmlErrorString;
      const errorString = (code: number): string => {
        const text = errorFn ? errorFn(code) : null;
        return typeof text === 'string' && text !== '' ? text : nvmlReturnName(code);
      };
      return new NvmlControl(reader, fns, errorString);
    } catch (err) {
      await reader.close();
      throw err;
    }
  }

  /** The library file or path in use. */
  get libraryPath(): string {
    return this.#reader.libraryPath;
  }

  /** True when the library exports `symbol`. */
  has(symbol: NvmlControlSymbol): boolean {
    return this.#fns[symbol] !== null;
  }

  /** GPUs and their identities, from the read client (handles usable with every call here). */
  listDevices(): Promise<NvmlEnumeration> {
    return this.#reader.listDevices();
  }

  /** Calls `symbol` on koffi's worker thread; the outcome is SUCCESS, or the code as an issue. */
  async #call(
    symbol: NvmlControlSymbol,
    args: readonly unknown[],
    selector?: string,
  ): Promise<NvmlOutcome<null>> {
    const call = selector ? `${symbol}(${selector})` : symbol;
    const fn = this.#fns[symbol];
    if (!fn) {
      const code = NVML_RETURN.ERROR_FUNCTION_NOT_FOUND;
      const message = `${symbol} is not exported by ${this.libraryPath} (older driver)`;
      return { ok: false, issue: { call, code, name: nvmlReturnName(code), message } };
    }
    this.#inFlight += 1;
    let rc: number;
    try {
      rc = await new Promise<number>((resolve, reject) => {
        fn.async(...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(Number(value))));
      });
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
    if (rc === NVML_RETURN.SUCCESS) return { ok: true, value: null };
    return { ok: false, issue: { call, code: rc, name: nvmlReturnName(rc), message: this.#errorString(rc) } };
  }

  async #uint(
    symbol: NvmlControlSymbol,
    args: readonly unknown[],
    selector?: string,
  ): Promise<NvmlOutcome<number>> {
    const out = [0];
    const r = await this.#call(symbol, [...args, out], selector);
    return r.ok ? { ok: true, value: Number(out[0]) } : r;
  }

  async #pair(
    symbol: NvmlControlSymbol,
    device: NvmlDevice,
  ): Promise<NvmlOutcome<readonly [number, number]>> {
    const lo = [0];
    const hi = [0];
    const r = await this.#call(symbol, [device.handle, lo, hi]);
    return r.ok ? { ok: true, value: [Number(lo[0]), Number(hi[0])] } : r;
  }

  /** A clock table through NVML's count-in/count-out convention (INSUFFICIENT_SIZE → ask once more). */
  async #clockTable(symbol: NvmlControlSymbol, lead: readonly unknown[]): Promise<NvmlOutcome<number[]>> {
    const ask = async (size: number) => {
      const count = [size];
      const table = new Uint32Array(size);
      const r = await this.#call(symbol, [...lead, count, table]);
      const n = Math.min(Number(count[0]), size);
      return { r, count: Number(count[0]), values: Array.from(table.subarray(0, n)) };
    };
    let got = await ask(CLOCK_TABLE_SIZE);
    if (!got.r.ok && got.r.issue.code === NVML_RETURN.ERROR_INSUFFICIENT_SIZE && got.count > CLOCK_TABLE_SIZE)
      got = await ask(got.count);
    return got.r.ok ? { ok: true, value: got.values } : got.r;
  }

  /** Software power limit, mW (nvmlDeviceGetPowerManagementLimit). */
  async powerLimitMw(device: NvmlDevice): Promise<NvmlOutcome<number>> {
    return this.#uint('nvmlDeviceGetPowerManagementLimit', [device.handle]);
  }

  /** [min, max] the power limit may be set to, mW (nvmlDeviceGetPowerManagementLimitConstraints). */
  async powerLimitConstraintsMw(device: NvmlDevice): Promise<NvmlOutcome<readonly [number, number]>> {
    return this.#pair('nvmlDeviceGetPowerManagementLimitConstraints', device);
  }

  /** Power limit after a driver reload, mW (nvmlDeviceGetPowerManagementDefaultLimit). */
  async powerLimitDefaultMw(device: NvmlDevice): Promise<NvmlOutcome<number>> {
    return this.#uint('nvmlDeviceGetPowerManagementDefaultLimit', [device.handle]);
  }

  /** Current graphics or memory clock, MHz (nvmlDeviceGetClockInfo NVML_CLOCK_GRAPHICS = 0 / MEM = 2). */
  async clockMhz(device: NvmlDevice, clock: 'graphics' | 'mem'): Promise<NvmlOutcome<number>> {
    const type = clock === 'graphics' ? NVML_CLOCK.GRAPHICS : NVML_CLOCK.MEM;
    const selector = clock === 'graphics' ? 'NVML_CLOCK_GRAPHICS' : 'NVML_CLOCK_MEM';
    return this.#uint('nvmlDeviceGetClockInfo', [device.handle, type], selector);
  }

  /** Memory clocks the device supports, MHz, in NVML's order (nvmlDeviceGetSupportedMemoryClocks). */
  async supportedMemoryClocksMhz(device: NvmlDevice): Promise<NvmlOutcome<number[]>> {
    return this.#clockTable('nvmlDeviceGetSupportedMemoryClocks', [device.handle]);
  }

  /** Graphics clocks supported at memory clock `memMhz`, MHz (nvmlDeviceGetSupportedGraphicsClocks). */
  async supportedGraphicsClocksMhz(device: NvmlDevice, memMhz: number): Promise<NvmlOutcome<number[]>> {
    checkUint(memMhz, 'memory clock (MHz)');
    return this.#clockTable('nvmlDeviceGetSupportedGraphicsClocks', [device.handle, memMhz]);
  }

  /** Number of fans (nvmlDeviceGetNumFans); NOT_SUPPORTED or 0 on passively cooled boards. */
  async fanCount(device: NvmlDevice): Promise<NvmlOutcome<number>> {
    return this.#uint('nvmlDeviceGetNumFans', [device.handle]);
  }

  /** [min, max] fan speed any fan accepts, % (nvmlDeviceGetMinMaxFanSpeed). */
  async fanSpeedRangePct(device: NvmlDevice): Promise<NvmlOutcome<readonly [number, number]>> {
    return this.#pair('nvmlDeviceGetMinMaxFanSpeed', device);
  }

  /** Fan `fan`'s control policy (NVML_FAN_POLICY) (nvmlDeviceGetFanControlPolicy_v2). */
  async fanControlPolicy(device: NvmlDevice, fan: number): Promise<NvmlOutcome<number>> {
    checkUint(fan, 'fan index');
    return this.#uint('nvmlDeviceGetFanControlPolicy_v2', [device.handle, fan], `fan ${fan}`);
  }

  /** Fan `fan`'s target speed, % (nvmlDeviceGetTargetFanSpeed: what was set, not the ramping speed). */
  async fanTargetPct(device: NvmlDevice, fan: number): Promise<NvmlOutcome<number>> {
    checkUint(fan, 'fan index');
    return this.#uint('nvmlDeviceGetTargetFanSpeed', [device.handle, fan], `fan ${fan}`);
  }

  /** Fan `fan`'s intended operating speed, % (nvmlDeviceGetFanSpeed_v2; follows the target). */
  async fanSpeedPct(device: NvmlDevice, fan: number): Promise<NvmlOutcome<number>> {
    checkUint(fan, 'fan index');
    return this.#uint('nvmlDeviceGetFanSpeed_v2', [device.handle, fan], `fan ${fan}`);
  }

  /** nvmlDeviceSetPowerManagementLimit(device, limitMw). Needs root. */
  async setPowerLimitMw(device: NvmlDevice, limitMw: number): Promise<NvmlOutcome<null>> {
    checkUint(limitMw, 'power limit (mW)');
    return this.#call('nvmlDeviceSetPowerManagementLimit', [device.handle, limitMw]);
  }

  /** nvmlDeviceSetGpuLockedClocks(device, minMhz, maxMhz). Needs root; Volta and newer. */
  async setGpuLockedClocks(device: NvmlDevice, minMhz: number, maxMhz: number): Promise<NvmlOutcome<null>> {
    checkUint(minMhz, 'minimum graphics clock (MHz)');
    checkUint(maxMhz, 'maximum graphics clock (MHz)');
    return this.#call('nvmlDeviceSetGpuLockedClocks', [device.handle, minMhz, maxMhz]);
  }

  /** nvmlDeviceResetGpuLockedClocks(device): graphics clocks back to the driver's control. */
  async resetGpuLockedClocks(device: NvmlDevice): Promise<NvmlOutcome<null>> {
    return this.#call('nvmlDeviceResetGpuLockedClocks', [device.handle]);
  }

  /** nvmlDeviceSetMemoryLockedClocks(device, minMhz, maxMhz). Needs root; Ampere and newer. */
  async setMemoryLockedClocks(
    device: NvmlDevice,
    minMhz: number,
    maxMhz: number,
  ): Promise<NvmlOutcome<null>> {
    checkUint(minMhz, 'minimum memory clock (MHz)');
    checkUint(maxMhz, 'maximum memory clock (MHz)');
    return this.#call('nvmlDeviceSetMemoryLockedClocks', [device.handle, minMhz, maxMhz]);
  }

  /** nvmlDeviceResetMemoryLockedClocks(device): memory clocks back to the driver's control. */
  async resetMemoryLockedClocks(device: NvmlDevice): Promise<NvmlOutcome<null>> {
    return this.#call('nvmlDeviceResetMemoryLockedClocks', [device.handle]);
  }

  /** nvmlDeviceSetFanSpeed_v2(device, fan, pct): fixed speed, policy becomes manual. Needs root. */
  async setFanSpeedPct(device: NvmlDevice, fan: number, pct: number): Promise<NvmlOutcome<null>> {
    checkUint(fan, 'fan index');
    checkUint(pct, 'fan speed (%)');
    return this.#call('nvmlDeviceSetFanSpeed_v2', [device.handle, fan, pct], `fan ${fan}`);
  }

  /** nvmlDeviceSetDefaultFanSpeed_v2(device, fan): the driver's temperature curve again. */
  async setDefaultFanSpeed(device: NvmlDevice, fan: number): Promise<NvmlOutcome<null>> {
    checkUint(fan, 'fan index');
    return this.#call('nvmlDeviceSetDefaultFanSpeed_v2', [device.handle, fan], `fan ${fan}`);
  }

  /** Waits for calls in flight, then closes the read client (nvmlShutdown). Idempotent. */
  async close(): Promise<void> {
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    await this.#reader.close();
  }
}
