// The Braiins OS+ actuator: the rig's power target (tuner power-target mode) through the public REST
// API, bounds from the firmware's own constraints, read back from tuner-state — never from a cache.

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
import type { BraiinsActuatorOptions } from './options.ts';
import { powerTargetLimitsOf, tunerTargetOf } from './replies.ts';
import { BOS_PATHS, BraiinsRestClient } from './rest-client.ts';

/** The device a Braiins miner's power target belongs to: the cgminer source's rig-total device. */
export const BRAIINS_DEVICE = 'total';

const WRITE_KEY = 'power-target';

/** Power target of one Braiins OS+ miner. See README.md for the calls and their sources. */
export class BraiinsActuator implements Actuator {
  readonly kind = 'braiins';
  readonly rig: string;
  readonly #client: BraiinsRestClient;
  readonly #fallback: SetpointLimits | null;
  // One write at a time per miner (FIFO; a waiter gives up when its signal aborts).
  readonly #writes = new MinerLocks();

  constructor(options: BraiinsActuatorOptions, password: string, rig: string) {
    this.rig = rig;
    this.#client = new BraiinsRestClient(
      {
        url: options.url,
        username: options.username,
        password,
        timeoutMs: options.timeout_ms,
        connectTimeoutMs: options.connect_timeout_ms,
        rejectUnauthorized: options.reject_unauthorized,
      },
      { rig },
    );
    const b = options.power_target_bounds_w;
    this.#fallback = b === undefined ? null : { min: b.min, max: b.max, step: 1, default: null };
  }

  /** Writes queued behind the one in progress (for tests and diagnostics). */
  get writesWaiting(): number {
    return this.#writes.waiting(WRITE_KEY);
  }

  async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    const limits = await this.#limits(ctx.signal);
    return [
      { rig: this.rig, device: BRAIINS_DEVICE, limits: limits === null ? {} : { power_limit_w: limits } },
    ];
  }

  /** The power target in force, W, from tuner-state. Throws ActuatorError 'unsupported' when none is. */
  async read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    const where = this.#check(device, kind);
    const reply = await this.#client.call('GET', BOS_PATHS.tunerState, 'read tuner state', ctx.signal);
    const target = tunerTargetOf(reply);
    if (target.kind === 'power') return target.watt;
    throw new ActuatorError('unsupported', `Braiins OS: no power target in force: ${target.why}`, where);
  }

  /**
   * Sets the power target (`PUT …/power-target {"watt": N}`) or, for null, the firmware default
   * (`PUT …/power-target/default`). Bounds are re-read from the miner first; a value outside them
   * is refused before anything is sent (out_of_bounds).
   */
  async write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    const where = this.#check(device, change.kind);
    const release = await this.#writes.acquire(WRITE_KEY, ctx.signal).catch((err: unknown) => {
      throw new ActuatorError('unreachable', 'Aborted while waiting for the previous write', where, {
        cause: err instanceof SourceError ? err.cause : err,
      });
    });
    try {
      const limits = await this.#limits(ctx.signal);
      if (limits === null)
        throw new ActuatorError(
          'unsupported',
          'Braiins OS reports no power-target constraints and no power_target_bounds_w is configured',
          where,
        );
      if (change.value === null) {
        await this.#client.call(
          'PUT',
          BOS_PATHS.powerTargetDefault,
          'restore default power target',
          ctx.signal,
        );
        return;
      }
      checkBounds(change.value, limits, where);
      await this.#client.call('PUT', BOS_PATHS.powerTarget, 'set power target', ctx.signal, {
        watt: change.value,
      });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    this.#client.forget();
  }

  #check(device: string, kind: SetpointKind): ErrorWhere {
    const where: ErrorWhere = { rig: this.rig, device, field: kind };
    if (device !== BRAIINS_DEVICE)
      throw new ActuatorError(
        'unsupported',
        `Braiins OS has one device, '${BRAIINS_DEVICE}', not '${device}'`,
        where,
      );
    if (kind !== 'power_limit_w')
      throw new ActuatorError('unsupported', `Braiins OS driver sets power_limit_w only, not ${kind}`, where);
    return where;
  }

  async #limits(signal: AbortSignal): Promise<SetpointLimits | null> {
    const reply = await this.#client.call('GET', BOS_PATHS.constraints, 'read constraints', signal);
    return powerTargetLimitsOf(reply) ?? this.#fallback;
  }
}

function checkBounds(value: number, limits: SetpointLimits, where: ErrorWhere): void {
  if (!Number.isInteger(value))
    throw new ActuatorError(
      'out_of_bounds',
      `Power target must be a whole number of watts, not ${value}`,
      where,
    );
  if (value < limits.min || value > limits.max)
    throw new ActuatorError(
      'out_of_bounds',
      `Power target ${value} W is outside the miner's range ${limits.min}–${limits.max} W`,
      where,
    );
}
