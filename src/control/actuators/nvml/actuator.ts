// The NVML actuator: power limit, locked core/memory clocks and fan speed of the local NVIDIA GPUs
// through the write side of the NVML binding, with limits read from each GPU and read-back per call.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointLimits,
  SetpointWrite,
} from '../../../core/actuator.ts';
import { ActuatorError, type ErrorWhere } from '../../../core/errors.ts';
import { NVML_RETURN } from '../../../protocols/nvml/index.ts';
import { NVML_FAN_POLICY, type NvmlControl, type NvmlOutcome } from '../../../protocols/nvml/write/index.ts';
import { type ClockLock, clockReadback } from './clock-readback.ts';
import { isUnreachableCode, nvmlActuatorError } from './errors.ts';
import { type GpuControlInfo, readGpuControl } from './limits.ts';
import type { NvmlActuatorOptions, NvmlSetpoint } from './options.ts';
import { type Gpu, NvmlSession } from './session.ts';

/** A call's target, resolved: the open library, the GPU, its limits for the set-point. */
interface Target {
  readonly nvml: NvmlControl;
  readonly gpu: Gpu;
  readonly info: GpuControlInfo;
  readonly limits: SetpointLimits;
  readonly where: ErrorWhere;
}

/** Codes after which NVML guarantees nothing changed, so a clock lock record stays valid. */
const NO_CHANGE_CODES: ReadonlySet<number> = new Set([
  NVML_RETURN.ERROR_NO_PERMISSION,
  NVML_RETURN.ERROR_NOT_SUPPORTED,
  NVML_RETURN.ERROR_INVALID_ARGUMENT,
  NVML_RETURN.ERROR_FUNCTION_NOT_FOUND,
]);

/**
 * One host's NVIDIA GPUs as an Actuator (kind 'nvml'). It changes REAL hardware settings (needs root).
 * NVML is opened at the first call and opened again after a GPU is lost. `read` queries the GPU
 * every time; for locked clocks, which NVML cannot report, see clock-readback.ts.
 */
export class NvmlActuator implements Actuator {
  readonly kind = 'nvml';
  readonly rig: string;
  /** The library this driver loads: option, else $RIGTUNE_NVML_LIB, else libnvidia-ml.so.1. */
  readonly libraryPath: string;
  readonly #options: NvmlActuatorOptions;
  /** Accepted clock writes per `device|kind`; absent = unknown (nothing set since start or GPU lost). */
  readonly #locks = new Map<string, ClockLock>();
  readonly #session: NvmlSession;

  constructor(options: NvmlActuatorOptions, rig: string, libraryPath: string) {
    this.#options = options;
    this.rig = rig;
    this.libraryPath = libraryPath;
    this.#session = new NvmlSession(libraryPath, rig, options.devices);
  }

  /** The selected GPUs NVML can reach, each with the set-points it supports and their limits. */
  async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    this.#checkSignal(ctx, 'describe');
    const opened = await this.#session.get('describe');
    const out: DeviceControl[] = [];
    for (const gpu of opened.gpus.values()) {
      this.#checkSignal(ctx, 'describe', gpu.name);
      try {
        gpu.info = await readGpuControl(opened.nvml, this.#ref(gpu), this.#options.setpoints);
      } catch (err) {
        // A GPU lost mid-way is not controllable: left out, as enumeration leaves out a lost GPU.
        if (!(err instanceof ActuatorError && err.reason === 'unreachable')) throw err;
        this.#forget(gpu.name);
        continue;
      }
      out.push(gpu.info.control);
    }
    return out;
  }

  /**
   * The set-point as the GPU reports it now: power limit, W; locked clock maximum, MHz (null =
   * unlocked; checked against the running clock, see clock-readback.ts); fan, % (null = automatic).
   */
  async read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    const t = await this.#target(device, kind, ctx, 'read');
    const dev = t.gpu.device;
    switch (kind) {
      case 'power_limit_w':
        return this.#unwrap(await t.nvml.powerLimitMw(dev), `Reading the power limit of ${device}`, t) / 1000;
      case 'clock_core_max_mhz':
      case 'clock_mem_max_mhz':
        return this.#readClock(t, kind);
      default:
        return this.#readFan(t, ctx);
    }
  }

  /** Sends the change; throws ActuatorError (out_of_bounds, refused, unsupported, unreachable). */
  async write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    const t = await this.#target(device, change.kind, ctx, 'write');
    const v = change.value;
    if (v !== null && !(Number.isFinite(v) && v >= t.limits.min && v <= t.limits.max))
      throw new ActuatorError(
        'out_of_bounds',
        `${change.kind} ${v} is outside the limits of ${device} [${t.limits.min}, ${t.limits.max}]`,
        t.where,
      );
    const dev = t.gpu.device;
    const nvml = t.nvml;
    switch (change.kind) {
      case 'power_limit_w': {
        const mw =
          v === null
            ? this.#unwrap(
                await nvml.powerLimitDefaultMw(dev),
                `Reading the default power limit of ${device}`,
                t,
              )
            : Math.round(v * 1000);
        this.#unwrap(
          await nvml.setPowerLimitMw(dev, mw),
          `Setting the power limit of ${device} to ${mw} mW`,
          t,
        );
        return;
      }
      case 'clock_core_max_mhz':
      case 'clock_mem_max_mhz':
        return this.#writeClock(t, change.kind, v);
      default:
        return this.#writeFan(t, v, ctx);
    }
  }

  /** Waits for a call in flight and shuts NVML down. Idempotent; later calls fail 'unreachable'. */
  close(): Promise<void> {
    return this.#session.close();
  }

  async #writeClock(t: Target, kind: 'clock_core_max_mhz' | 'clock_mem_max_mhz', v: number | null) {
    const core = kind === 'clock_core_max_mhz';
    const key = lockKey(t.gpu.name, kind);
    const dev = t.gpu.device;
    const table = core ? t.info.graphicsClocksMhz : t.info.memClocksMhz;
    const max = v === null ? null : Math.round(v);
    let r: NvmlOutcome<null>;
    if (max === null)
      r = core ? await t.nvml.resetGpuLockedClocks(dev) : await t.nvml.resetMemoryLockedClocks(dev);
    else if (core) r = await t.nvml.setGpuLockedClocks(dev, table[0], max);
    else r = await t.nvml.setMemoryLockedClocks(dev, table[0], max);
    if (!r.ok && !NO_CHANGE_CODES.has(r.issue.code)) this.#locks.delete(key); // the lock in force is unknown
    const name = t.gpu.name;
    this.#unwrap(
      r,
      max === null ? `Unlocking ${kind} of ${name}` : `Locking ${kind} of ${name} to ${max} MHz`,
      t,
    );
    this.#locks.set(key, max === null ? null : { maxMhz: max });
  }

  async #readClock(t: Target, kind: 'clock_core_max_mhz' | 'clock_mem_max_mhz'): Promise<number | null> {
    const key = lockKey(t.gpu.name, kind);
    const lock = this.#locks.get(key);
    if (lock === undefined)
      throw new ActuatorError(
        'unsupported',
        `NVML cannot report the ${kind} lock of ${t.gpu.name} (it has no getter for locked clocks) and this driver has not set it since it started`,
        t.where,
      );
    const core = kind === 'clock_core_max_mhz';
    const observed = this.#unwrap(
      await t.nvml.clockMhz(t.gpu.device, core ? 'graphics' : 'mem'),
      `Reading the ${core ? 'graphics' : 'memory'} clock of ${t.gpu.name}`,
      t,
    );
    return clockReadback(lock, observed, core ? t.info.graphicsClocksMhz : t.info.memClocksMhz);
  }

  async #writeFan(t: Target, v: number | null, ctx: ActuatorContext): Promise<void> {
    const pct = v === null ? null : Math.round(v);
    const { device, name } = t.gpu;
    for (let fan = 0; fan < t.info.fanCount; fan += 1) {
      this.#checkSignal(ctx, 'write', name);
      if (pct === null)
        this.#unwrap(
          await t.nvml.setDefaultFanSpeed(device, fan),
          `Returning fan ${fan} of ${name} to automatic`,
          t,
        );
      else
        this.#unwrap(
          await t.nvml.setFanSpeedPct(device, fan, pct),
          `Setting fan ${fan} of ${name} to ${pct} %`,
          t,
        );
    }
  }

  /** One value when every fan agrees (null = all automatic); fans that disagree are not_applied. */
  async #readFan(t: Target, ctx: ActuatorContext): Promise<number | null> {
    const states: (number | null)[] = [];
    for (let fan = 0; fan < t.info.fanCount; fan += 1) {
      this.#checkSignal(ctx, 'read', t.gpu.name);
      const what = `Reading fan ${fan} of ${t.gpu.name}`;
      const policy = this.#unwrap(await t.nvml.fanControlPolicy(t.gpu.device, fan), what, t);
      // Any policy but MANUAL is the driver's own curve: automatic. The target is what was set (the
      // current speed ramps towards it).
      const manual = policy === NVML_FAN_POLICY.MANUAL;
      states.push(manual ? this.#unwrap(await t.nvml.fanTargetPct(t.gpu.device, fan), what, t) : null);
    }
    if (states.every((s) => s === states[0])) return states[0] ?? null;
    const each = states.map((s, i) => `fan ${i} ${s === null ? 'automatic' : `${s} %`}`).join(', ');
    throw new ActuatorError('not_applied', `The fans of ${t.gpu.name} disagree: ${each}`, t.where);
  }

  /** The value of an NVML outcome, or an ActuatorError for it (a lost GPU also reopens NVML next call). */
  #unwrap<T>(r: NvmlOutcome<T>, what: string, t: Target): T {
    if (r.ok) return r.value;
    if (isUnreachableCode(r.issue.code)) this.#forget(t.gpu.name);
    throw nvmlActuatorError(r.issue, what, t.where);
  }

  async #target(device: string, kind: SetpointKind, ctx: ActuatorContext, command: string): Promise<Target> {
    const where = { rig: this.rig, device, field: kind };
    this.#checkSignal(ctx, command, device);
    const opened = await this.#session.get(command, device);
    const gpu = opened.gpus.get(device);
    if (gpu === undefined) {
      if (opened.lost === 0)
        throw new ActuatorError('unsupported', `No selected GPU is named ${device} on this host`, where);
      this.#session.markStale(); // enumerate again next call: the GPU may be back
      throw new ActuatorError(
        'unreachable',
        `${device} is not reachable (${opened.lost} GPU(s) lost)`,
        where,
      );
    }
    try {
      gpu.info ??= await readGpuControl(opened.nvml, this.#ref(gpu), this.#options.setpoints);
    } catch (err) {
      if (err instanceof ActuatorError && err.reason === 'unreachable') this.#forget(gpu.name);
      throw err;
    }
    // Only the configured setpoints the GPU supports have limits (profile_step never does).
    const limits = gpu.info.control.limits[kind];
    if (limits === undefined)
      throw new ActuatorError(
        'unsupported',
        `${device} offers no ${kind} control (not in the driver's setpoints, or the GPU or its driver lacks it)`,
        where,
      );
    this.#checkSignal(ctx, command, device);
    return { nvml: opened.nvml, gpu, info: gpu.info, limits, where };
  }

  /** Drops what this driver knew of a GPU that stopped answering; NVML is opened again next call. */
  #forget(name: string): void {
    for (const key of [...this.#locks.keys()]) if (key.startsWith(`${name}|`)) this.#locks.delete(key);
    this.#session.markStale();
  }

  #ref(gpu: Gpu) {
    return { rig: this.rig, name: gpu.name, device: gpu.device };
  }

  #checkSignal(ctx: ActuatorContext, command: string, device?: string): void {
    if (ctx.signal.aborted)
      throw new ActuatorError('unreachable', `nvml ${command} aborted`, { rig: this.rig, device, command });
  }
}

function lockKey(device: string, kind: NvmlSetpoint): string {
  return `${device}|${kind}`;
}
