// The per-rig auto-tune controller: fed scores and snapshots, it runs every decision on one serial chain
// (rollback retries, watches, the next action) through the Actuator, journaling each step before it.

import type { Actuator, SetpointKind } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ScoreTick } from '../../core/scores.ts';
import type { ControlRecord } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { DeviceState } from './device-state.ts';
import type { GuardName } from './guards.ts';
import { type AutotuneOptions, type AutotuneOptionsInput, parseAutotuneOptions } from './options.ts';
import { act, gateFor, plan, type Refusal } from './planner.ts';
import type { AutotuneMode, JournalPort, KillSwitch, SetpointStrategy } from './ports.ts';
import { actionRecord } from './records.ts';
import { describeDevices, restoreInFlight, restoreSafe, seedHistory } from './recovery.ts';
import { type RigCore, referenceValue } from './rig-core.ts';
import { type AutotuneStatus, buildStatus } from './status.ts';
import { stepDescent } from './strategy.ts';
import { abortWatch, checkWatches, retryRollbacks } from './watcher.ts';

export interface AutotuneDeps {
  readonly rig: string;
  readonly actuator: Actuator;
  readonly journal: JournalPort;
  readonly clock: Clock;
  readonly killSwitch: KillSwitch;
  /** Receives every action and advice record (the runtime fans them out to sinks). Must not throw. */
  readonly emit: (record: ControlRecord) => void;
  /** Where proposals come from; default: step power limit and core clock down while it pays. */
  readonly strategy?: SetpointStrategy;
  readonly options?: AutotuneOptionsInput;
  /** Initial mode; default 'advise'. */
  readonly mode?: AutotuneMode;
  /**
   * Hears an unexpected failure of a decision pass (a strategy that throws, an emit that throws); the
   * pass is abandoned, the next tick tries again, and `status().last_error` shows it.
   */
  readonly onError?: (err: unknown) => void;
}

/** What one rig's scoring produced this tick. */
export interface AutotuneTick {
  readonly scores: readonly ScoreTick[];
  readonly snapshots: readonly Snapshot[];
}

/** A manual set-point request (API), through the same guard rails as the controller's own actions. */
export interface ManualRequest {
  readonly device: string;
  readonly kind: SetpointKind;
  readonly value: number;
  readonly reason: string;
}

export type ManualResult =
  | { readonly status: 'validating'; readonly id: string; readonly to: number }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'refused'; readonly guard: GuardName | 'mode' | 'device'; readonly reason: string };

const DESCRIBE_RETRY_MS = 60_000;

/** How long a device's samples are kept: the longest baseline or watch window, plus two blocks. */
function keepMsOf(o: AutotuneOptions): number {
  return Math.max(o.baseline_ms, o.settle_ms + o.watch_ms) + 2 * o.block_ms;
}

export class RigAutotune {
  readonly rig: string;
  readonly #core: RigCore;
  readonly #abort = new AbortController();
  readonly #refusals = new Map<string, Refusal>();
  #keepMs: number;
  #chain: Promise<unknown> = Promise.resolve();
  #queued = false;
  #started = false;
  #stopped = false;
  #describeError: string | null = null;
  #describeAtMs = 0;
  #unsubscribe: () => void = () => undefined;
  #lastError: string | null = null;
  readonly #onError: (err: unknown) => void;

  /** Throws RT_CONFIG_INVALID for bad options. Nothing touches the device before `start()`. */
  constructor(deps: AutotuneDeps) {
    const o = parseAutotuneOptions(deps.options);
    this.rig = deps.rig;
    this.#onError = deps.onError ?? (() => undefined);
    const core: RigCore = {
      rig: deps.rig,
      o,
      env: {
        rig: deps.rig,
        actuator: deps.actuator,
        clock: deps.clock,
        timeoutMs: o.action_timeout_ms,
        signal: this.#abort.signal,
        journal: deps.journal,
        emit: deps.emit,
        adviceTtlMs: o.advice_ttl_ms,
        onJournalFailure: () => {
          core.journalBroken = true;
        },
      },
      strategy:
        deps.strategy ?? stepDescent({ kinds: ['power_limit_w', 'clock_core_max_mhz'], direction: -1 }),
      killSwitch: deps.killSwitch,
      devices: new Map(),
      mode: deps.mode ?? 'advise',
      actionTimesMs: [],
      journalBroken: false,
      advised: new Map(),
      touched: new Set(),
    };
    this.#core = core;
    this.#keepMs = keepMsOf(o);
  }

  /**
   * New options (a reload), from the next decision pass on. Nothing is rolled back: an action under
   * validation keeps the watch window it started with and is judged by the new statistics settings.
   * Throws RT_CONFIG_INVALID for bad options; the old ones then stay.
   */
  setOptions(input: AutotuneOptionsInput | undefined): Promise<void> {
    const o = parseAutotuneOptions(input);
    return this.#serial(async () => {
      const core = this.#core;
      core.o = o;
      core.env = { ...core.env, timeoutMs: o.action_timeout_ms, adviceTtlMs: o.advice_ttl_ms };
      this.#keepMs = keepMsOf(o);
    });
  }

  /** A new strategy (the optimizer rebuilt with new options) from the next decision pass on. */
  setStrategy(strategy: SetpointStrategy): Promise<void> {
    return this.#serial(async () => {
      this.#core.strategy = strategy;
    });
  }

  get mode(): AutotuneMode {
    return this.#core.mode;
  }

  /**
   * Reads the devices, rebuilds rate limits from the journal and rolls back every action the journal
   * has in flight for this rig (whatever the mode: a crash must not leave an unvalidated setting).
   */
  start(): Promise<{ devices: number; restored: number; pending: number; describeError: string | null }> {
    return this.#serial(async () => {
      const core = this.#core;
      this.#describeError = await describeDevices(core);
      this.#describeAtMs = core.env.clock.nowMs() + DESCRIBE_RETRY_MS;
      seedHistory(core, core.env.clock.nowMs());
      const r = await restoreInFlight(core);
      this.#started = true;
      this.#unsubscribe = core.killSwitch.subscribe(() => this.#schedule());
      return {
        devices: [...core.devices.values()].filter((d) => d.control !== null).length,
        ...r,
        describeError: this.#describeError,
      };
    });
  }

  /** Takes a tick's scores and snapshots now, and schedules a decision pass (coalesced). */
  onTick(tick: AutotuneTick): Promise<void> {
    const core = this.#core;
    const nowMs = core.env.clock.nowMs();
    for (const s of tick.snapshots)
      if (s.rig === this.rig) this.#device(s.device).addSnapshot(s, this.#keepMs);
    for (const t of tick.scores)
      if (t.rig === this.rig) this.#device(t.device).addTick(t, nowMs, core.o.cooldown_ms);
    return this.#schedule();
  }

  /** Changes the mode; leaving 'auto' (or going 'off') rolls back every action still under validation. */
  setMode(mode: AutotuneMode): Promise<void> {
    return this.#serial(async () => {
      const was = this.#core.mode;
      this.#core.mode = mode;
      if (mode === 'auto' || mode === was) return;
      for (const d of this.#core.devices.values())
        if (d.watch !== null && (mode === 'off' || d.watch.action.purpose === 'tune'))
          await abortWatch(this.#core, d, `mode changed from ${was} to ${mode}`, ['mode']);
    });
  }

  /** A manual set-point: exact value or refused (never shortened), then validated like any action. */
  requestAction(req: ManualRequest): Promise<ManualResult> {
    return this.#serial(async (): Promise<ManualResult> => {
      const core = this.#core;
      const nowMs = core.env.clock.nowMs();
      const refuse = (guard: GuardName | 'mode' | 'device', reason: string): ManualResult => {
        core.env.emit(
          actionRecord(this.rig, nowMs, {
            id: null,
            device: req.device,
            setpoint: req.kind,
            from: null,
            to: req.value,
            purpose: 'manual',
            status: 'refused',
            reason,
            guard: guard as GuardName,
          }),
        );
        return { status: 'refused', guard, reason };
      };
      if (this.#stopped || !this.#started) return refuse('mode', 'the controller is not running');
      if (core.mode === 'off') return refuse('mode', 'autotune is off for this rig');
      const d = core.devices.get(req.device);
      const limits = d?.control?.limits[req.kind];
      if (d === undefined || limits === undefined)
        return refuse('device', `${req.device} has no controllable ${req.kind}`);
      const ref = referenceValue(req.kind, d.values.get(req.kind) ?? null, limits, d.lastSnapshot);
      if (ref === null || !d.values.has(req.kind))
        return refuse('device', `the current ${req.kind} of ${req.device} is unknown`);
      const gate = gateFor(core, d, req.kind, ref, req.value, true, nowMs);
      if (!gate.ok) return refuse(gate.guard, gate.reason);
      const r = await act(core, d, req.kind, gate.to, `manual: ${req.reason}`, 'manual', gate);
      return 'action' in r
        ? { status: 'validating', id: r.action.id, to: gate.to }
        : { status: 'failed', reason: r.error };
    });
  }

  /** Rolls back unvalidated actions, restores the safe settings (if configured), stops deciding. Idempotent. */
  stop(): Promise<{ rolledBack: number; restored: number; failed: number }> {
    this.#stopped = true;
    this.#unsubscribe();
    return this.#serial(async () => {
      const core = this.#core;
      let rolledBack = 0;
      for (const d of core.devices.values())
        if (d.watch !== null) {
          await abortWatch(core, d, 'shutdown: the action was not validated yet', ['shutdown']);
          rolledBack++;
        }
      for (const d of core.devices.values()) d.retryAtMs = 0;
      await retryRollbacks(core, core.env.clock.nowMs());
      const safe = core.o.restore_on_shutdown ? await restoreSafe(core) : { restored: 0, failed: 0 };
      this.#abort.abort(new RigtuneError('RT_ACTUATOR_UNREACHABLE', 'the controller stopped'));
      return { rolledBack, ...safe };
    });
  }

  /** A plain summary for the API and tests. */
  status(): AutotuneStatus {
    return buildStatus(this.#core, this.#refusals, this.#describeError, this.#lastError);
  }

  #device(name: string): DeviceState {
    let d = this.#core.devices.get(name);
    if (d === undefined) {
      d = new DeviceState(name);
      this.#core.devices.set(name, d);
    }
    return d;
  }

  #schedule(): Promise<void> {
    if (this.#queued) return this.#chain.then(() => undefined);
    this.#queued = true;
    return this.#serial(async () => {
      this.#queued = false;
      try {
        await this.#decide();
      } catch (err) {
        // Not swallowed: reported to the runtime and kept for status(); the next tick decides again.
        this.#lastError = err instanceof Error ? err.message : String(err);
        this.#onError(err);
      }
    });
  }

  async #decide(): Promise<void> {
    const core = this.#core;
    if (!this.#started || this.#stopped) return;
    const nowMs = core.env.clock.nowMs();
    if (nowMs >= this.#describeAtMs && (this.#describeError !== null || this.#valuesMissing())) {
      this.#describeError = await describeDevices(core);
      this.#describeAtMs = nowMs + DESCRIBE_RETRY_MS;
    }
    await retryRollbacks(core, nowMs);
    if (core.killSwitch.engaged)
      for (const d of core.devices.values())
        if (d.watch !== null)
          await abortWatch(core, d, `kill switch: ${core.killSwitch.reason ?? 'engaged'}`, ['kill_switch']);
    await checkWatches(core, nowMs);
    if ((core.mode === 'auto' || core.mode === 'advise') && !core.killSwitch.engaged)
      await plan(core, core.env.clock.nowMs(), this.#refusals);
  }

  /** A controllable device lacks the current value of a tuned set-point (a read failed). */
  #valuesMissing(): boolean {
    for (const d of this.#core.devices.values())
      for (const kind of this.#core.o.setpoints)
        if (d.control?.limits[kind] !== undefined && !d.values.has(kind)) return true;
    return false;
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(op, op);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
