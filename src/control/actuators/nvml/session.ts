// The NVML library as the actuator holds it: opened at the first call, GPUs enumerated and named as the
// nvml source names them, opened again after a GPU was lost (it may be back after a reset), closed once.

import { ActuatorError, SourceError } from '../../../core/errors.ts';
import type { NvmlDevice } from '../../../protocols/nvml/index.ts';
import { NvmlControl } from '../../../protocols/nvml/write/index.ts';
import { deviceNameOf, isSelected } from './device-name.ts';
import type { GpuControlInfo } from './limits.ts';

/** One selected GPU: its handle and name, and its limits once described. */
export interface Gpu {
  readonly device: NvmlDevice;
  readonly name: string;
  info: GpuControlInfo | null;
}

/** An open library and the GPUs it enumerated. */
export interface Opened {
  readonly nvml: NvmlControl;
  /** Selected GPUs by device name. */
  readonly gpus: ReadonlyMap<string, Gpu>;
  /** GPUs enumeration could not open because they are lost (fallen off the bus). */
  readonly lost: number;
}

/** Opening failures: no library or driver → unsupported; anything else → unreachable. */
export function asActuatorError(err: unknown, rig: string): ActuatorError {
  if (err instanceof ActuatorError) return err;
  const reason = err instanceof SourceError && err.kind === 'unsupported' ? 'unsupported' : 'unreachable';
  const message = err instanceof Error ? err.message : String(err);
  return new ActuatorError(reason, `NVML could not be opened: ${message}`, { rig }, { cause: err });
}

/** Holds at most one open NVML library for an actuator. Calls are made one at a time. */
export class NvmlSession {
  readonly #libraryPath: string;
  readonly #rig: string;
  readonly #devices: readonly string[] | undefined;
  #opened: Promise<Opened> | null = null;
  #stale = false;
  #closed = false;

  /** `devices`: the selection option (PCI bus ids in any spelling, or UUIDs); undefined = all. */
  constructor(libraryPath: string, rig: string, devices: readonly string[] | undefined) {
    this.#libraryPath = libraryPath;
    this.#rig = rig;
    this.#devices = devices;
  }

  /** The open library, opening it (again, when marked stale) as needed. Throws ActuatorError. */
  async get(command: string, device?: string): Promise<Opened> {
    if (this.#closed)
      throw new ActuatorError('unreachable', 'The nvml actuator is closed', {
        rig: this.#rig,
        device,
        command,
      });
    if (this.#stale && this.#opened) {
      const old = this.#opened;
      this.#opened = null;
      await old.then((o) => o.nvml.close()).catch(() => undefined); // it failed to open: nothing held
    }
    this.#stale = false;
    this.#opened ??= this.#open().catch((err: unknown) => {
      this.#opened = null;
      throw err;
    });
    return this.#opened;
  }

  /** A GPU stopped answering, or one is missing: shut down and enumerate again at the next call. */
  markStale(): void {
    this.#stale = true;
  }

  /** Shuts NVML down (after a call in flight). Idempotent; later calls fail 'unreachable'. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const opened = this.#opened;
    this.#opened = null;
    if (opened) await opened.then((o) => o.nvml.close()).catch(() => undefined); // open failed: nothing held
  }

  async #open(): Promise<Opened> {
    let nvml: NvmlControl;
    try {
      nvml = await NvmlControl.open({ libraryPath: this.#libraryPath });
    } catch (err) {
      throw asActuatorError(err, this.#rig);
    }
    try {
      const { devices, skipped } = await nvml.listDevices();
      const gpus = new Map<string, Gpu>();
      for (const device of devices) {
        const name = deviceNameOf(device);
        if (isSelected(device, this.#devices)) gpus.set(name, { device, name, info: null });
      }
      return { nvml, gpus, lost: skipped.filter((s) => s.fatal).length };
    } catch (err) {
      await nvml.close();
      throw asActuatorError(err, this.#rig);
    }
  }
}
