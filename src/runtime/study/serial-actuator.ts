// An actuator shared by a rig's auto-tune controller and a study: calls run one at a time (the
// Actuator contract; LuxOS allows a single writer), in the order they were made.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointWrite,
} from '../../core/actuator.ts';

export class SerialActuator implements Actuator {
  readonly kind: string;
  readonly rig: string;
  readonly #inner: Actuator;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(inner: Actuator) {
    this.#inner = inner;
    this.kind = inner.kind;
    this.rig = inner.rig;
  }

  describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    return this.#serial(() => this.#inner.describe(ctx));
  }

  read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    return this.#serial(() => this.#inner.read(device, kind, ctx));
  }

  write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    return this.#serial(() => this.#inner.write(device, change, ctx));
  }

  close(): Promise<void> {
    return this.#serial(() => this.#inner.close());
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(op, op);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
