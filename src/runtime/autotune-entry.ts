// One rig's running auto-tune: its controller over its actuator, fed ticks without waiting for the
// decision passes, started, rebuilt with new options (a reload), stopped with the safe settings restored.

import type { AutotuneMode } from '../config/index.ts';
import type { RigAutotune, SetpointStrategy } from '../control/autotune/index.ts';
import type { OptimizerOptionsInput } from '../control/optimizer/index.ts';
import type { Actuator } from '../core/actuator.ts';
import type { RigTickBatch } from '../core/sink.ts';
import type { BuiltController, ControllerOptions } from './autotune-rig.ts';
import { canonicalJson } from './rig-table.ts';

/** Logs and counts one auto-tune event of this rig (the service's OpsReporter underneath). */
export type RigReport = (
  code: string,
  level: 'info' | 'warn' | 'error',
  msg: string,
  err?: unknown,
  fields?: Record<string, unknown>,
) => void;

export interface EntryDeps {
  readonly rig: string;
  /** The actuator's kind (sim, nvml, braiins, luxos). */
  readonly kind: string;
  readonly actuator: Actuator;
  /** Builds a controller over the actuator; throws RT_CONFIG_INVALID for bad options. */
  readonly build: (options: ControllerOptions, mode: AutotuneMode) => BuiltController;
  /** The optimizer for these options; throws RT_CONFIG_INVALID for bad ones. */
  readonly strategy: (options: OptimizerOptionsInput | undefined) => SetpointStrategy;
  readonly report: RigReport;
}

export class AutotuneEntry {
  readonly rig: string;
  readonly kind: string;
  readonly actuator: Actuator;
  readonly #d: EntryDeps;
  #ctrl: RigAutotune;
  #detach: () => void;
  #optionsKey: string;
  #optimizerKey: string;
  /** The configured mode; `mode` differs from it after the API changed it. */
  #configured: AutotuneMode;
  #mode: AutotuneMode;
  /** Start (or rebuild) of the controller; stop waits for it. */
  #ready: Promise<unknown> = Promise.resolve();
  /** A tick's decision pass is still running: ticks meanwhile only hand over their data. */
  #passing = false;
  #ticks = 0;
  #coalesced = 0;

  /** Builds the controller (nothing touches the device yet); throws for bad options. */
  constructor(deps: EntryDeps, options: ControllerOptions, mode: AutotuneMode) {
    this.#d = deps;
    this.rig = deps.rig;
    this.kind = deps.kind;
    this.actuator = deps.actuator;
    const built = deps.build(options, mode);
    this.#ctrl = built.ctrl;
    this.#detach = built.detach;
    this.#optionsKey = canonicalJson(options.autotune ?? {});
    this.#optimizerKey = canonicalJson(options.optimizer ?? {});
    this.#configured = mode;
    this.#mode = mode;
  }

  get ctrl(): RigAutotune {
    return this.#ctrl;
  }

  get mode(): AutotuneMode {
    return this.#mode;
  }

  /** The mode set through the API, or undefined while the configured one holds. */
  get override(): AutotuneMode | undefined {
    return this.#mode !== this.#configured ? this.#mode : undefined;
  }

  /** Starts the controller: it rolls back what the journal has in flight for the rig. Never rejects. */
  start(): Promise<unknown> {
    const ctrl = this.#ctrl;
    this.#ready = ctrl.start().then(
      (r) => {
        const ok = r.describeError === null;
        this.#d.report(
          'autotune_started',
          ok ? 'info' : 'warn',
          ok ? 'Auto-tune started.' : 'Auto-tune started; the devices could not be read yet.',
          undefined,
          {
            mode: this.#mode,
            actuator: this.kind,
            devices: r.devices,
            restored: r.restored,
            pending: r.pending,
            describe_error: r.describeError,
          },
        );
      },
      (err: unknown) => this.#failed(err),
    );
    return this.#ready;
  }

  /** Hands the tick's data to the controller now; its decision pass runs in the background. */
  observe(batch: RigTickBatch): void {
    this.#ticks += 1;
    // The controller keeps at most one pass queued behind a running one: ticks meanwhile coalesce.
    if (this.#passing) this.#coalesced += 1;
    this.#passing = true;
    const ctrl = this.#ctrl;
    ctrl.onTick({ scores: batch.scores, snapshots: batch.snapshots }).then(
      () => {
        if (this.#ctrl === ctrl) this.#passing = false;
      },
      (err: unknown) => {
        this.#passing = false;
        this.#failed(err);
      },
    );
  }

  /** Sets the mode through the API; returns the one before. */
  async setMode(mode: AutotuneMode): Promise<AutotuneMode> {
    const previous = this.#mode;
    this.#mode = mode;
    await this.#ctrl.setMode(mode);
    return previous;
  }

  /**
   * A reload: a changed configured mode replaces the running one (also one set through the API);
   * changed options apply from the next decision (an action under validation keeps its window); changed
   * optimizer options start a new search. Bad options are reported and the old ones stay.
   */
  configure(mode: AutotuneMode, options: ControllerOptions): void {
    if (mode !== this.#configured) {
      this.#configured = mode;
      this.#mode = mode;
      this.#ctrl.setMode(mode).catch((err: unknown) => this.#failed(err));
    }
    const autotuneKey = canonicalJson(options.autotune ?? {});
    const optimizerKey = canonicalJson(options.optimizer ?? {});
    if (autotuneKey === this.#optionsKey && optimizerKey === this.#optimizerKey) return;
    try {
      const changed: Promise<void>[] = [];
      // Both are validated before either is applied, so a bad one changes nothing.
      const strategy = optimizerKey !== this.#optimizerKey ? this.#d.strategy(options.optimizer) : null;
      if (autotuneKey !== this.#optionsKey) changed.push(this.#ctrl.setOptions(options.autotune));
      if (strategy !== null) changed.push(this.#ctrl.setStrategy(strategy));
      for (const c of changed) c.catch((err: unknown) => this.#failed(err));
    } catch (err) {
      this.#d.report(
        'autotune_reconfigure_failed',
        'error',
        'Auto-tune options not applied; the old ones stay.',
        err,
      );
      return;
    }
    const optimizer = optimizerKey !== this.#optimizerKey;
    this.#optionsKey = autotuneKey;
    this.#optimizerKey = optimizerKey;
    this.#d.report(
      'autotune_reconfigured',
      'info',
      'Auto-tune options changed; actions under validation keep their watch windows.',
      undefined,
      { optimizer_restarted: optimizer },
    );
  }

  /** Stops the controller (unvalidated actions rolled back, safe settings restored), closes the actuator. */
  async retire(why: string): Promise<void> {
    await this.#ready.catch(() => undefined);
    try {
      const r = await this.#ctrl.stop();
      const ok = r.failed === 0;
      this.#d.report(
        'autotune_stopped',
        ok ? 'info' : 'warn',
        ok ? 'Auto-tune stopped.' : 'Auto-tune stopped; some safe settings could not be restored.',
        undefined,
        { why, rolled_back: r.rolledBack, restored: r.restored, failed: r.failed },
      );
    } catch (err) {
      this.#failed(err);
    } finally {
      this.#detach();
      await this.actuator.close().catch((err: unknown) => this.#failed(err));
    }
  }

  status(): Readonly<Record<string, unknown>> {
    return {
      ...this.#ctrl.status(),
      actuator: this.kind,
      configured_mode: this.#configured,
      ticks: this.#ticks,
      coalesced_ticks: this.#coalesced,
    };
  }

  #failed(err: unknown): void {
    this.#d.report('autotune_failed', 'error', 'Auto-tune pass failed; the next tick tries again.', err);
  }
}
