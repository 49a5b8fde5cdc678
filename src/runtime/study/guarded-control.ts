// The study's set-point path over the service's own pieces: the rig's (shared) actuator, the action
// journal and the auto-tune controller's action lifecycle (journal → write → read back → roll back).

import {
  type ActionEnv,
  type AutotuneMode,
  type AutotuneOptions,
  AutotuneOptionsSchema,
  callActuator,
  executeAction,
  type JournalPort,
  type KillSwitch,
  rollbackAction,
} from '../../control/autotune/index.ts';
import type { Actuator, DeviceControl, SetpointKind } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ControlRecord } from '../../core/sink.ts';
import type { ChangeResult, HeldChange, SetpointChange, StudyControl } from './ports.ts';

/** The rig's auto-tune controller as far as a study drives it (the service's AutotuneFeed fits). */
export interface ModeControl {
  mode(rig: string): AutotuneMode | null;
  setMode(rig: string, mode: AutotuneMode): Promise<unknown>;
}

export interface GuardedControlDeps {
  readonly clock: Clock;
  /** Each rig's actuator: the very instance its controller uses (serialized), by rig. */
  readonly actuators: ReadonlyMap<string, Actuator>;
  readonly journal: JournalPort;
  readonly killSwitch: KillSwitch;
  /** Each rig's auto-tune options (parsed); a rig without any gets the defaults. */
  readonly options: (rig: string) => AutotuneOptions | undefined;
  /** The controllers; absent = no rig has one (modes read null, `autotune` studies are refused). */
  readonly modes?: ModeControl;
  /** Receives every action and advice record of the study's writes (the sinks). */
  readonly emit: (record: ControlRecord) => void;
}

const DEFAULT_OPTIONS: AutotuneOptions = AutotuneOptionsSchema.parse({});

export class GuardedStudyControl implements StudyControl {
  readonly #d: GuardedControlDeps;
  readonly #abort = new AbortController();
  #journalBroken: string | null = null;

  constructor(deps: GuardedControlDeps) {
    this.#d = deps;
  }

  rigs(): readonly string[] {
    return [...this.#d.actuators.keys()];
  }

  options(rig: string): AutotuneOptions {
    return this.#d.options(rig) ?? DEFAULT_OPTIONS;
  }

  killSwitch(): { engaged: boolean; reason: string | null } {
    return { engaged: this.#d.killSwitch.engaged, reason: this.#d.killSwitch.reason };
  }

  mode(rig: string): AutotuneMode | null {
    return this.#d.modes?.mode(rig) ?? null;
  }

  async setMode(rig: string, mode: AutotuneMode): Promise<void> {
    if (this.#d.modes === undefined)
      throw new RigtuneError('RT_STUDY_REFUSED', `rig ${rig} has no auto-tune controller`, { rig });
    await this.#d.modes.setMode(rig, mode);
  }

  describe(rig: string): Promise<readonly DeviceControl[]> {
    const env = this.#env(rig);
    return callActuator(env, 'describe', (ctx) => env.actuator.describe(ctx));
  }

  read(rig: string, device: string, kind: SetpointKind): Promise<number | null> {
    const env = this.#env(rig);
    return callActuator(env, `read ${kind} on ${device}`, (ctx) => env.actuator.read(device, kind, ctx));
  }

  async apply(change: SetpointChange): Promise<ChangeResult> {
    if (this.#journalBroken !== null)
      return { ok: false, error: `the journal cannot record: ${this.#journalBroken}`, restored: true };
    const r = await executeAction(this.#env(change.rig), { ...change, purpose: 'manual' });
    if (r.status !== 'verified') return { ok: false, error: r.error, restored: r.restored };
    return { ok: true, held: { ...change, id: r.action.id }, readback: r.readback };
  }

  undo(held: HeldChange, reason: string): Promise<boolean> {
    return rollbackAction(this.#env(held.rig), { ...held, purpose: 'manual' }, reason);
  }

  async restore(change: SetpointChange): Promise<ChangeResult> {
    const env = this.#env(change.rig);
    const r = await executeAction(env, { ...change, purpose: 'restore' });
    if (r.status !== 'verified') return { ok: false, error: r.error, restored: r.restored };
    const ts = this.#d.clock.nowMs();
    try {
      // A restore returns the device to a known value: it is final once read back (as at shutdown).
      await this.#d.journal.mark({ type: 'validated', id: r.action.id, ts });
    } catch (err) {
      env.onJournalFailure(err);
    }
    this.#d.emit({
      kind: 'action',
      rig: change.rig,
      ts,
      payload: {
        id: r.action.id,
        device: change.device,
        setpoint: change.kind,
        from: change.from,
        to: change.to,
        purpose: 'restore',
        status: 'validated',
        reason: change.reason,
        readback: r.readback,
      },
    });
    return { ok: true, held: { ...change, id: r.action.id }, readback: r.readback };
  }

  adopt(rig: string, device: string, kind: SetpointKind, to: number | null): HeldChange | null {
    const found = this.#d.journal
      .inFlight(rig)
      .filter((a) => a.device === device && a.kind === kind && a.to === to && a.purpose === 'manual')
      .at(-1);
    if (found === undefined) return null;
    return {
      rig,
      device,
      kind,
      from: found.from,
      to: found.to,
      limits: undefined,
      reason: found.reason,
      id: found.id,
    };
  }

  /** Abandons calls in progress (shutdown). */
  close(): void {
    this.#abort.abort(new RigtuneError('RT_ACTUATOR_UNREACHABLE', 'the study stopped'));
  }

  #env(rig: string): ActionEnv {
    const actuator = this.#d.actuators.get(rig);
    if (actuator === undefined)
      throw new RigtuneError('RT_STUDY_REFUSED', `rig ${rig} has no actuator: it is not controllable`, {
        rig,
      });
    const o = this.options(rig);
    return {
      rig,
      actuator,
      clock: this.#d.clock,
      timeoutMs: o.action_timeout_ms,
      signal: this.#abort.signal,
      journal: this.#d.journal,
      emit: this.#d.emit,
      adviceTtlMs: o.advice_ttl_ms,
      onJournalFailure: (err) => {
        this.#journalBroken = err instanceof Error ? err.message : String(err);
      },
    };
  }
}
