// The service's side of auto-tune: one controller per rig with an actuator, fed every rig tick without
// blocking scoring, the global kill switch, modes and options applied live on reload, the control API.

import type {
  ActionView,
  ControlApi,
  ControlMode,
  KillSwitchState,
  ManualActionRequest,
  ManualActionResult,
} from '../api/index.ts';
import type { AutotuneMode } from '../config/index.ts';
import type { AutotuneOptionsInput, JournalPort, KillSwitch } from '../control/autotune/index.ts';
import { createOptimizer, type OptimizerOptionsInput } from '../control/optimizer/index.ts';
import type { Clock } from '../core/clock.ts';
import type { ControlRecord, RigTickBatch } from '../core/sink.ts';
import { AdviceLifetimes } from './autotune-advice.ts';
import { AutotuneEntry, type RigReport } from './autotune-entry.ts';
import {
  type ActuatorSpec,
  actionEvent,
  actionView,
  buildController,
  type ControllerOptions,
} from './autotune-rig.ts';
import type { OpsReporter } from './ops-events.ts';

/** What the feed needs of a configured rig. */
export interface AutotuneRig {
  readonly name: string;
  /** Configured mode; default `advise`. */
  readonly autotune?: AutotuneMode;
  /** The controller's options; default its built-ins. */
  readonly autotuneOptions?: AutotuneOptionsInput;
  /** The optimizer's options (its efficiency search and fan control); default its built-ins. */
  readonly optimizerOptions?: OptimizerOptionsInput;
  /** No actuator: no controller (the rig is advised by the advisory engine only). */
  readonly actuator?: ActuatorSpec;
}

function optionsOf(rig: AutotuneRig): ControllerOptions {
  return { autotune: rig.autotuneOptions, optimizer: rig.optimizerOptions };
}

export interface AutotuneFeedDeps {
  readonly clock: Clock;
  /** The write-ahead journal, shared by every rig (opened and closed by the caller). */
  readonly journal: JournalPort;
  /** The one kill switch of the service. */
  readonly killSwitch: KillSwitch;
  readonly ops: OpsReporter;
  /** Receives every action and advice record: the sink fan-out. */
  readonly emit: (record: ControlRecord) => void;
}

export class AutotuneFeed implements ControlApi {
  readonly #d: AutotuneFeedDeps;
  readonly #rigs = new Map<string, AutotuneEntry>();
  readonly #advice: AdviceLifetimes;
  #started = false;
  #stopped: Promise<void> | null = null;
  #killChangedMs: number | null = null;

  /** Builds a controller per rig with an actuator; throws what an actuator factory or bad options throw. */
  constructor(rigs: readonly AutotuneRig[], deps: AutotuneFeedDeps) {
    this.#d = deps;
    this.#advice = new AdviceLifetimes(deps.emit);
    for (const rig of rigs) if (rig.actuator !== undefined) this.#add(rig, rig.actuator);
  }

  /** Rigs with a controller, in configuration order. */
  get rigs(): readonly string[] {
    return [...this.#rigs.keys()];
  }

  /** Starts every controller: each rolls back what the journal has in flight for its rig. */
  async start(): Promise<void> {
    this.#started = true;
    await Promise.all([...this.#rigs.values()].map((e) => e.start()));
  }

  /**
   * Applies a reload: rigs added get a controller (started at once), rigs removed are stopped (safe
   * settings restored); a changed mode is applied (it replaces one set through the API); changed
   * options apply from the next decision (actions under validation keep their windows). A changed actuator keeps
   * running as it was: it needs a restart (reload.ts logs that).
   */
  configure(rigs: readonly AutotuneRig[]): void {
    if (this.#stopped !== null) return;
    const wanted = new Set(rigs.map((r) => r.name));
    for (const [name, e] of [...this.#rigs])
      if (!wanted.has(name)) {
        this.#rigs.delete(name);
        this.#advice.forget(name, this.#d.clock.nowMs());
        void e.retire('rig removed');
      }
    for (const rig of rigs) {
      const e = this.#rigs.get(rig.name);
      if (e !== undefined) e.configure(rig.autotune ?? 'advise', optionsOf(rig));
      else if (rig.actuator !== undefined)
        try {
          const added = this.#add(rig, rig.actuator);
          if (this.#started) void added.start();
        } catch (err) {
          this.#reporter(rig.name)(
            'actuator_start_failed',
            'error',
            'Auto-tune could not be set up; the rig is advised only.',
            err,
          );
        }
    }
  }

  /** One rig tick (after scoring): the controller takes the data now and decides in the background. */
  observe(batch: RigTickBatch): void {
    const e = this.#rigs.get(batch.rig);
    if (e === undefined || this.#stopped !== null) return;
    e.observe(batch);
    this.#advice.sweep(batch.rig, this.#d.clock.nowMs());
  }

  /** The mode set through the API for `rig`, or undefined (configured mode, or no controller). */
  modeOverride(rig: string): AutotuneMode | undefined {
    return this.#rigs.get(rig)?.override;
  }

  has(rig: string): boolean {
    return this.#rigs.has(rig);
  }

  async setMode(rig: string, mode: ControlMode): Promise<{ mode: ControlMode; previous: ControlMode }> {
    const previous = await this.#entry(rig).setMode(mode);
    this.#reporter(rig)('mode_changed', 'info', 'Auto-tune mode changed.', undefined, { mode, previous });
    return { mode, previous };
  }

  requestAction(rig: string, request: ManualActionRequest): Promise<ManualActionResult> {
    return this.#entry(rig).ctrl.requestAction(request);
  }

  actions(rig: string, sinceMs: number, limit: number): readonly ActionView[] {
    const all = [...this.#d.journal.recent(rig, sinceMs)].sort((a, b) => a.ts - b.ts);
    return all.slice(Math.max(0, all.length - limit)).map(actionView);
  }

  killSwitch(): KillSwitchState {
    const k = this.#d.killSwitch;
    return { engaged: k.engaged, reason: k.reason, changed_ms: this.#killChangedMs };
  }

  /** Engages or releases the kill switch (every controller hears it at once). */
  setKillSwitch(engaged: boolean, reason: string): KillSwitchState {
    const k = this.#d.killSwitch;
    if (engaged !== k.engaged) {
      this.#killChangedMs = this.#d.clock.nowMs();
      this.#d.ops.report({
        component: 'autotune',
        code: engaged ? 'kill_switch_engaged' : 'kill_switch_released',
        level: 'warn',
        msg: engaged ? 'Kill switch engaged: no auto-tune action until released.' : 'Kill switch released.',
        rateLimited: false,
        fields: { reason },
      });
    }
    if (engaged) k.engage(reason);
    else k.release();
    return this.killSwitch();
  }

  status(): readonly Readonly<Record<string, unknown>>[] {
    return [...this.#rigs.values()].map((e) => e.status());
  }

  /** Stops every controller (rolls back unvalidated actions, restores safe settings), closes the actuators. */
  stop(): Promise<void> {
    this.#stopped ??= Promise.all([...this.#rigs.values()].map((e) => e.retire('shutdown'))).then(
      () => undefined,
    );
    return this.#stopped;
  }

  #add(rig: AutotuneRig, spec: ActuatorSpec): AutotuneEntry {
    const actuator = spec.create();
    const d = this.#d;
    const report = this.#reporter(rig.name);
    const build = (options: ControllerOptions, mode: AutotuneMode) =>
      buildController({
        rig: rig.name,
        actuator,
        journal: d.journal,
        clock: d.clock,
        killSwitch: d.killSwitch,
        emit: (record) => this.#emit(record),
        options,
        mode,
        onError: (err) =>
          report('autotune_failed', 'error', 'Auto-tune pass failed; the next tick tries again.', err),
      });
    let entry: AutotuneEntry;
    try {
      entry = new AutotuneEntry(
        { rig: rig.name, kind: spec.kind, actuator, build, strategy: createOptimizer, report },
        optionsOf(rig),
        rig.autotune ?? 'advise',
      );
    } catch (err) {
      void actuator.close().catch(() => undefined);
      throw err;
    }
    this.#rigs.set(rig.name, entry);
    return entry;
  }

  #entry(rig: string): AutotuneEntry {
    const e = this.#rigs.get(rig);
    if (e === undefined) throw new Error(`rig ${rig} has no auto-tune controller`);
    return e;
  }

  #emit(record: ControlRecord): void {
    const event = actionEvent(record);
    if (event !== null) this.#d.ops.report(event);
    this.#advice.pass(record);
  }

  #reporter(rig: string): RigReport {
    return (code, level, msg, err, fields) =>
      this.#d.ops.report({
        component: 'autotune',
        code,
        level,
        msg,
        rig,
        err,
        fields,
        // Failed passes may repeat every tick; lifecycle events are rare and each is logged.
        rateLimited: code === 'autotune_failed',
      });
  }
}
