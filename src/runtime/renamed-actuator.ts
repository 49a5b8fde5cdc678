// An actuator whose devices go by other names: the names a rig's source gives them (the join key with
// the snapshots). The demo serves simulated GPUs over XMRig, which names them by PCI bus id.

import type {
  Actuator,
  ActuatorContext,
  DeviceControl,
  SetpointKind,
  SetpointWrite,
} from '../core/actuator.ts';

/** `inner` with each device `d` shown as `names.get(d)` (unlisted devices keep their name). */
export class RenamedActuator implements Actuator {
  readonly kind: string;
  readonly rig: string;
  readonly #inner: Actuator;
  readonly #outer: ReadonlyMap<string, string>;
  readonly #back: ReadonlyMap<string, string>;

  constructor(inner: Actuator, names: ReadonlyMap<string, string>) {
    this.#inner = inner;
    this.kind = inner.kind;
    this.rig = inner.rig;
    this.#outer = names;
    this.#back = new Map([...names].map(([inner, outer]) => [outer, inner]));
  }

  async describe(ctx: ActuatorContext): Promise<readonly DeviceControl[]> {
    const controls = await this.#inner.describe(ctx);
    return controls.map((c) => ({ ...c, device: this.#outer.get(c.device) ?? c.device }));
  }

  read(device: string, kind: SetpointKind, ctx: ActuatorContext): Promise<number | null> {
    return this.#inner.read(this.#back.get(device) ?? device, kind, ctx);
  }

  write(device: string, change: SetpointWrite, ctx: ActuatorContext): Promise<void> {
    return this.#inner.write(this.#back.get(device) ?? device, change, ctx);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
