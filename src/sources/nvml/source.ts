// The nvml Source: opens NVML once (lazily, at the first poll), enumerates the GPUs, and on each poll
// reads every selected GPU in parallel and emits one snapshot per GPU. Read-only.

import { SourceError } from '../../core/errors.ts';
import type { DeviceInfo, Source, SourceContext } from '../../core/source.ts';
import {
  DEFAULT_NVML_LIBRARY,
  NVML_RETURN,
  NvmlClient,
  type NvmlDevice,
} from '../../protocols/nvml/index.ts';
import { emitResult, MapResultBuilder, normalizePciBusId, type SourceDeps } from '../common/index.ts';
import { deviceIdOf, deviceInfoOf, mapNvmlReading } from './map.ts';
import type { NvmlOptions } from './options.ts';

/** Environment variable naming the library when `library_path` is not set. */
export const NVML_LIBRARY_ENV = 'RIGTUNE_NVML_LIB';

interface Opened {
  readonly client: NvmlClient;
  readonly devices: readonly NvmlDevice[];
  /** GPUs NVML could not open because they are lost: reported as an error on every poll. */
  readonly lost: readonly string[];
}

/** A GPU that gave no reading this poll: its id (or enumeration note) and the error, if any. */
interface Failure {
  readonly device: string;
  readonly error: unknown;
}

/** True when `device` is selected by the `devices` option (bus id in any spelling, or UUID). */
function isSelected(device: NvmlDevice, wanted: readonly string[] | undefined): boolean {
  if (!wanted) return true;
  const bus = normalizePciBusId(device.pciBusId);
  return wanted.some(
    (w) => (bus !== null && normalizePciBusId(w) === bus) || w.toLowerCase() === device.uuid?.toLowerCase(),
  );
}

/** A Source reading the local GPUs through NVML (kind 'nvml'); options already validated. */
export class NvmlSource implements Source {
  readonly kind = 'nvml';
  readonly rig: string;
  /** Suggested poll interval, ms. */
  readonly intervalMs: number;
  /** The library this source loads: option, else $RIGTUNE_NVML_LIB, else libnvidia-ml.so.1. */
  readonly libraryPath: string;
  readonly #options: NvmlOptions;
  readonly #deps: SourceDeps;
  readonly #warned = new Set<string>();
  #opened: Promise<Opened> | null = null;
  #deviceInfos: readonly DeviceInfo[] = [];
  #closed = false;

  constructor(options: NvmlOptions, deps: SourceDeps) {
    this.#options = options;
    this.#deps = deps;
    this.rig = deps.rig;
    this.intervalMs = options.interval_ms;
    this.libraryPath = options.library_path ?? deps.env?.[NVML_LIBRARY_ENV] ?? DEFAULT_NVML_LIBRARY;
  }

  /** Warns once per key (the same unsupported call is not news on every poll). */
  #warnOnce(key: string, message: string, device?: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#deps.warn?.(message, { rig: this.rig, device });
  }

  async #open(): Promise<Opened> {
    const client = await NvmlClient.open({ libraryPath: this.libraryPath });
    try {
      const { devices, skipped } = await client.listDevices();
      const lost: string[] = [];
      for (const s of skipped) {
        if (s.fatal) lost.push(`GPU ${s.index}: ${s.issue.message}`);
        else
          this.#warnOnce(
            `skip:${s.index}`,
            `NVML cannot open GPU ${s.index}: ${s.issue.message} [${s.issue.name}]`,
          );
      }
      const selected = devices.filter((d) => isSelected(d, this.#options.devices));
      for (const w of this.#options.devices ?? [])
        if (!selected.some((d) => isSelected(d, [w])))
          this.#warnOnce(`missing:${w}`, `Configured GPU ${w} was not found by NVML.`);
      if (selected.length === 0 && lost.length === 0)
        throw new SourceError(
          'unsupported',
          `NVML found no GPU to read (${devices.length} enumerated, none selected by the devices option)`,
          { rig: this.rig },
        );
      this.#deviceInfos = selected.map(deviceInfoOf);
      return { client, devices: selected, lost };
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** The opened library, opening it on first use; a failed open is retried at the next poll. */
  async #ensureOpen(): Promise<Opened> {
    if (!this.#opened) {
      this.#opened = this.#open();
      this.#opened.catch(() => {
        this.#opened = null; // next poll tries again; this poll's caller sees the rejection
      });
    }
    return this.#opened;
  }

  /**
   * Reads every selected GPU and emits their snapshots. When a GPU is lost (or was at enumeration)
   * the healthy GPUs are emitted first, then SourceError('status') is thrown naming the lost one(s);
   * when every GPU fails that way NVML is closed and re-opened at the next poll (driver reload).
   */
  async poll(ctx: SourceContext): Promise<void> {
    if (this.#closed) throw new SourceError('unsupported', 'Source nvml is closed', { rig: this.rig });
    const opened = await this.#ensureOpen();
    const ts = ctx.clock.nowMs();
    const reads = await Promise.allSettled(
      opened.devices.map((d) =>
        opened.client.readDevice(d, { signal: ctx.signal, pcieThroughput: this.#options.pcie_throughput }),
      ),
    );
    const builder = new MapResultBuilder(ts, this.rig);
    const failures: Failure[] = opened.lost.map((l) => ({ device: l, error: null }));
    reads.forEach((read, i) => {
      const device = opened.devices[i];
      if (read.status === 'rejected') {
        failures.push({ device: deviceIdOf(device), error: read.reason });
        return;
      }
      mapNvmlReading(builder, device, read.value);
      for (const issue of read.value.issues) {
        if (issue.code === NVML_RETURN.ERROR_NOT_SUPPORTED) continue; // normal: the board has no such sensor
        const id = deviceIdOf(device);
        this.#warnOnce(
          `${id}:${issue.call}:${issue.code}`,
          `NVML ${issue.call} gave no value: ${issue.message} [${issue.name}]`,
          id,
        );
      }
    });
    emitResult(ctx, builder.build());
    if (failures.length > 0) await this.#fail(opened, failures);
  }

  async #fail(opened: Opened, failures: readonly Failure[]): Promise<never> {
    const first = failures.find((f) => f.error !== null);
    if (first && first.error instanceof SourceError && first.error.kind === 'timeout') throw first.error;
    if (failures.length === opened.devices.length + opened.lost.length && this.#opened) {
      this.#opened = null; // every GPU failed: re-initialise NVML next time (covers a driver reload)
      await opened.client.close();
    }
    const what = failures.map((f) => (f.error instanceof Error ? f.error.message : f.device)).join('; ');
    const device = first ? first.device : undefined;
    throw new SourceError(
      'status',
      `NVML lost ${failures.length} GPU(s): ${what}`,
      { rig: this.rig, device },
      {
        cause: first?.error ?? undefined,
      },
    );
  }

  /** The GPUs read by this source (after enumeration; empty before the first poll). */
  devices(): readonly DeviceInfo[] {
    return this.#deviceInfos;
  }

  /** Shuts NVML down (once calls in flight end). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const opened = this.#opened;
    this.#opened = null;
    if (!opened) return;
    try {
      await (await opened).client.close();
    } catch {
      // The open itself failed: nothing was initialised, so there is nothing to shut down.
    }
  }
}
