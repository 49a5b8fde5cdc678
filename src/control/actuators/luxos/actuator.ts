// The LuxOS actuator: the power target (power-targeting models) and the frequency profile as a step
// from stock, written inside a session one writer at a time, read back from `atm` and `devs`.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointLimits,
  SetpointWrite,
} from '../../../core/actuator.ts';
import { ActuatorError, type ErrorWhere, SourceError } from '../../../core/errors.ts';
import { MinerLocks } from '../../../protocols/cgminer/index.ts';
import { LuxosClient } from './client.ts';
import type { LuxosActuatorOptions } from './options.ts';
import {
  boardProfilesOf,
  type LuxosProfileRow,
  modelOf,
  type PowerTargetState,
  powerTargetOf,
  profileNameAt,
  profileStepLimitsOf,
  profileStepOf,
  profilesOf,
  stockProfileOf,
} from './replies.ts';

/** The rig-total device, as the cgminer source names it. */
export const LUXOS_TOTAL = 'total';
const BOARD = /^board([1-9]\d*)$/;
const WRITE_KEY = 'session';

/** What the runtime hands the driver besides its options. */
export interface LuxosActuatorHooks {
  /** Hears of a session the driver could not log off (LuxOS expires it after 1 min idle). */
  readonly onLogoffFailure?: (err: ActuatorError) => void;
}

/** Power target and profile of one LuxOS miner. See README.md for commands and sources. */
export class LuxosActuator implements Actuator {
  readonly kind = 'luxos';
  readonly rig: string;
  readonly #client: LuxosClient;
  readonly #scope: LuxosActuatorOptions['profile_scope'];
  // LuxOS allows one session: this driver opens one at a time (FIFO; a waiter gives up on abort).
  readonly #writes = new MinerLocks();

  constructor(options: LuxosActuatorOptions, rig: string, hooks: LuxosActuatorHooks = {}) {
    this.rig = rig;
    this.#scope = options.profile_scope;
    const target = { host: options.host, port: options.port, timeoutMs: options.timeout_ms };
    this.#client = new LuxosClient(target, { rig }, hooks.onLogoffFailure ?? (() => {}));
  }

  /** Writes queued behind the one in progress (for tests and diagnostics). */
  get writesWaiting(): number {
    return this.#writes.waiting(WRITE_KEY);
  }

  async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    const model = modelOf(await this.#client.query('version', ctx.signal)) ?? undefined;
    const power = await this.#power(ctx.signal);
    const profiles = profilesOf(await this.#client.query('profiles', ctx.signal));
    const steps = profileStepLimitsOf(profiles);
    const total: Partial<Record<SetpointKind, SetpointLimits>> = {};
    if (power !== null) total.power_limit_w = powerLimits(power, profiles);
    if (steps !== null && this.#scope === 'machine') total.profile_step = steps;
    const out: DeviceControl[] = [];
    if (Object.keys(total).length > 0) out.push({ rig: this.rig, device: LUXOS_TOTAL, model, limits: total });
    if (steps !== null && this.#scope === 'board') {
      const boards = boardProfilesOf(await this.#client.query('devs', ctx.signal));
      for (const b of boards)
        out.push({ rig: this.rig, device: `board${b.asc + 1}`, model, limits: { profile_step: steps } });
    }
    return out;
  }

  /**
   * power_limit_w: `atm` PowerTarget, W. profile_step: the `devs` Profile of the board(s), mapped to
   * its step through `profiles` (0 = stock). Throws ActuatorError 'unsupported' when the model has no
   * power targeting, the boards disagree (machine scope) or a board runs a profile without a step.
   */
  async read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    const { where, asc } = this.#check(device, kind);
    if (kind === 'power_limit_w') {
      const power = await this.#power(ctx.signal);
      if (power === null) throw noPowerTargeting(where);
      return power.targetW;
    }
    const boards = boardProfilesOf(await this.#client.query('devs', ctx.signal)).filter(
      (b) => asc === null || b.asc === asc,
    );
    const names = [...new Set(boards.map((b) => b.profile))];
    if (boards.length === 0) throw new ActuatorError('unsupported', 'LuxOS devs lists no such board', where);
    if (names.length > 1)
      throw new ActuatorError(
        'unsupported',
        `LuxOS boards run different profiles (${boards.map((b) => `board${b.asc + 1} ${b.profile}`).join(', ')}); use profile_scope: board`,
        where,
      );
    const name = names[0];
    const step =
      name === null
        ? null
        : profileStepOf(profilesOf(await this.#client.query('profiles', ctx.signal)), name);
    if (step === null)
      throw new ActuatorError(
        'unsupported',
        `LuxOS board profile '${name}' has no step in the profiles list`,
        where,
      );
    return step;
  }

  /**
   * power_limit_w: `powertargetset <sid>,<W>`; null restores the stock profile's target with
   * `profileset <sid>,default`. profile_step: `profileset <sid>,<name>` (machine) or
   * `profileset <sid>,<board>,<name>` (board scope); null = step 0. Bounds come fresh from the miner
   * and are checked before `logon`; the session is closed whatever happens.
   */
  async write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    const { where, asc } = this.#check(device, change.kind);
    const release = await this.#writes.acquire(WRITE_KEY, ctx.signal).catch((err: unknown) => {
      throw new ActuatorError('unreachable', 'Aborted while waiting for the previous write', where, {
        cause: err instanceof SourceError ? err.cause : err,
      });
    });
    try {
      const [command, args] =
        change.kind === 'power_limit_w'
          ? await this.#powerCommand(change.value, where, ctx.signal)
          : await this.#profileCommand(change.value, asc, where, ctx.signal);
      await this.#client.withSession(ctx.signal, (send) => send(command, args));
    } finally {
      release();
    }
  }

  /** Nothing to release: every session is closed by the write that opened it. */
  async close(): Promise<void> {}

  async #power(signal: AbortSignal): Promise<PowerTargetState | null> {
    return powerTargetOf(await this.#client.query('atm', signal));
  }

  async #powerCommand(
    value: number | null,
    where: ErrorWhere,
    signal: AbortSignal,
  ): Promise<[string, string[]]> {
    const power = await this.#power(signal);
    if (power === null) throw noPowerTargeting(where);
    if (value === null) return ['profileset', ['default']];
    if (!Number.isInteger(value) || value < power.minW || value > power.limitW)
      throw new ActuatorError(
        'out_of_bounds',
        `Power target ${value} W is not a whole number within the miner's ${power.minW}–${power.limitW} W`,
        where,
      );
    return ['powertargetset', [String(value)]];
  }

  async #profileCommand(
    value: number | null,
    asc: number | null,
    where: ErrorWhere,
    signal: AbortSignal,
  ): Promise<[string, string[]]> {
    const profiles = profilesOf(await this.#client.query('profiles', signal));
    const limits = profileStepLimitsOf(profiles);
    if (limits === null) throw new ActuatorError('unsupported', 'LuxOS lists no profiles with steps', where);
    const step = value ?? 0;
    const name = Number.isInteger(step) ? profileNameAt(profiles, step) : null;
    if (name === null || step < limits.min || step > limits.max)
      throw new ActuatorError(
        'out_of_bounds',
        `No LuxOS profile at step ${step} (profiles span ${limits.min}…${limits.max})`,
        where,
      );
    return ['profileset', asc === null ? [name] : [String(asc), name]];
  }

  /** The board index (0-based ASC) a device names, after checking it supports `kind` here. */
  #check(device: string, kind: SetpointKind): { where: ErrorWhere; asc: number | null } {
    const where: ErrorWhere = { rig: this.rig, device, field: kind };
    const unsupported = (why: string) => new ActuatorError('unsupported', `LuxOS driver: ${why}`, where);
    if (kind !== 'power_limit_w' && kind !== 'profile_step')
      throw unsupported(`sets power_limit_w and profile_step only, not ${kind}`);
    if (device === LUXOS_TOTAL) {
      if (kind === 'profile_step' && this.#scope === 'board')
        throw unsupported("profile_step is per board with profile_scope 'board' (devices board1…)");
      return { where, asc: null };
    }
    const m = BOARD.exec(device);
    if (m === null || kind !== 'profile_step' || this.#scope !== 'board')
      throw unsupported(`${kind} is not settable on '${device}' (profile_scope ${this.#scope})`);
    const asc = Number(m[1]) - 1;
    // Legacy `profileset <sid>,<board>,<profile>` reads a board id only in 0…3 (profileset docs).
    if (asc > 3) throw unsupported(`LuxOS addresses boards 0…3 only, not ${device}`);
    return { where, asc };
  }
}

function noPowerTargeting(where: ErrorWhere): ActuatorError {
  return new ActuatorError(
    'unsupported',
    'This LuxOS model runs no power targeting (atm shows no PowerTarget/PowerMin/PowerLimit)',
    where,
  );
}

/** Power-target limits from `atm`; the default is the stock profile's watts when `profiles` lists them. */
function powerLimits(power: PowerTargetState, profiles: readonly LuxosProfileRow[]): SetpointLimits {
  return { min: power.minW, max: power.limitW, step: 1, default: stockProfileOf(profiles)?.watts ?? null };
}
