// The simulator actuator: set-point writes and independent read-backs against one rig of a sim Fleet,
// so the control loop (guards, verified writes, validation, rollback) runs end to end in tests.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointLimits,
  SetpointWrite,
} from '../../../core/actuator.ts';
import { ActuatorError } from '../../../core/errors.ts';
import type { ActuatorResult, Fleet, SimAsic, SimGpu, SimRig } from '../../../sim/index.ts';
import { asicControl, gpuControl } from './limits.ts';
import type { SimActuatorOptions } from './options.ts';

type Target =
  | { readonly type: 'gpu'; readonly gpu: SimGpu }
  | { readonly type: 'asic'; readonly asic: SimAsic };

/**
 * One simulated rig as an Actuator. `read` returns the device's own state (the setting the simulated
 * device runs with), never what this driver last wrote: under the sim's `ignore_writes` fault a write
 * is acknowledged and the read-back shows the old value, as with firmware that lies.
 */
export class SimActuator implements Actuator {
  readonly kind = 'sim';
  readonly rig: string;
  readonly #fleet: Fleet;
  readonly #simRig: SimRig;
  readonly #devices: ReadonlySet<string> | null;
  #closed = false;

  /** Throws RT_CONFIG_INVALID when the fleet has no rig named `rig`. */
  constructor(fleet: Fleet, rig: string, options: SimActuatorOptions = { devices: null }) {
    this.#fleet = fleet;
    this.#simRig = fleet.rig(rig);
    this.rig = rig;
    this.#devices = options.devices === null ? null : new Set(options.devices);
  }

  /** GPUs on the bus (a GPU that fell off is not controllable) and an ASIC's `total`, with model limits. */
  async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    this.#checkOpen(ctx, 'describe');
    const out: DeviceControl[] = [];
    for (const gpu of this.#simRig.gpus)
      if (!gpu.isOffBus && this.#allowed(gpu.device)) out.push(gpuControl(this.rig, gpu));
    const asic = this.#simRig.asic;
    if (asic !== null && this.#allowed('total')) out.push(asicControl(this.rig, asic));
    return out;
  }

  /** The setting the simulated device runs with now (null = default/automatic/unlocked). */
  async read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    this.#checkOpen(ctx, 'read', device);
    const t = this.#target(device, kind);
    if (t.type === 'asic') return kind === 'power_limit_w' ? t.asic.powerTargetW : t.asic.fanManualPct;
    const gpu = t.gpu;
    if (gpu.isOffBus) throw unreachable(this.rig, device, 'read');
    switch (kind) {
      case 'power_limit_w':
        return gpu.powerLimitW;
      case 'clock_core_max_mhz':
        return gpu.coreLockMhz;
      case 'clock_mem_max_mhz':
        return gpu.memLockMhz;
      default:
        return gpu.fanManualPct;
    }
  }

  /** Sends the change; throws out_of_bounds, unsupported or unreachable (ActuatorError). Does not verify. */
  async write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    this.#checkOpen(ctx, 'write', device);
    const t = this.#target(device, change.kind);
    const limits = this.#limitsOf(t, change.kind);
    const v = change.value;
    if (v !== null && !(Number.isFinite(v) && v >= limits.min && v <= limits.max))
      throw new ActuatorError(
        'out_of_bounds',
        `${change.kind} ${v} is outside the device limits [${limits.min}, ${limits.max}]`,
        { rig: this.rig, device, field: change.kind, command: 'write' },
      );
    const result = this.#apply(t, change);
    if (result.status === 'unavailable') throw unreachable(this.rig, device, 'write');
    if (result.status === 'unsupported')
      throw new ActuatorError('unsupported', `${device} has no ${change.kind} control`, {
        rig: this.rig,
        device,
        field: change.kind,
        command: 'write',
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #apply(t: Target, change: SetpointWrite): ActuatorResult {
    const v = change.value;
    if (t.type === 'asic')
      return change.kind === 'power_limit_w'
        ? t.asic.setPowerTarget(v ?? t.asic.profile.powerTargetDefaultW)
        : t.asic.setFan(v);
    const gpu = t.gpu;
    switch (change.kind) {
      case 'power_limit_w':
        return gpu.setPowerLimit(v ?? gpu.profile.powerLimitDefaultW);
      case 'clock_core_max_mhz':
        return gpu.lockCoreClock(v);
      case 'clock_mem_max_mhz':
        return gpu.lockMemClock(v);
      default:
        return gpu.setFan(v);
    }
  }

  #limitsOf(t: Target, kind: SetpointKind): SetpointLimits {
    const control = t.type === 'gpu' ? gpuControl(this.rig, t.gpu) : asicControl(this.rig, t.asic);
    const limits = control.limits[kind];
    if (limits === undefined)
      throw new ActuatorError('unsupported', `${control.device} has no ${kind} control`, {
        rig: this.rig,
        device: control.device,
        field: kind,
      });
    return limits;
  }

  #target(device: string, kind: SetpointKind): Target {
    const where = { rig: this.rig, device, field: kind };
    if (!this.#allowed(device))
      throw new ActuatorError('unsupported', `device ${device} is not controlled by this driver`, where);
    const asic = this.#simRig.asic;
    let t: Target | null = null;
    if (asic !== null && device === 'total') t = { type: 'asic', asic };
    const gpu = this.#simRig.gpus.find((g) => g.device === device);
    if (gpu !== undefined) t = { type: 'gpu', gpu };
    if (t === null) throw new ActuatorError('unsupported', `rig ${this.rig} has no device ${device}`, where);
    this.#limitsOf(t, kind);
    return t;
  }

  #allowed(device: string): boolean {
    return this.#devices === null || this.#devices.has(device);
  }

  #checkOpen(ctx: ActuatorContext, command: string, device?: string): void {
    if (this.#closed)
      throw new ActuatorError('unreachable', 'the sim actuator is closed', {
        rig: this.rig,
        device,
        command,
      });
    if (ctx.signal.aborted)
      throw new ActuatorError('unreachable', `${command} aborted`, { rig: this.rig, device, command });
  }

  /** The fleet this driver acts on (tests step it). */
  get fleet(): Fleet {
    return this.#fleet;
  }
}

function unreachable(rig: string, device: string, command: string): ActuatorError {
  return new ActuatorError('unreachable', `${device} is not reachable (fallen off the bus)`, {
    rig,
    device,
    command,
  });
}
