// A source that reads one rig of an in-process simulated fleet: each poll steps the whole fleet to the
// clock's time and emits that rig's devices. Shared by the integration tests that run the service on
// a fake clock without protocol servers.

import type { Source, SourceContext } from '../../src/core/source.ts';
import type { Fleet } from '../../src/sim/index.ts';

export class SimFleetSource implements Source {
  readonly kind = 'sim';
  readonly rig: string;
  readonly #fleet: Fleet;

  constructor(fleet: Fleet, rig: string) {
    this.#fleet = fleet;
    this.rig = rig;
  }

  async poll(ctx: SourceContext): Promise<void> {
    const now = ctx.clock.nowMs();
    if (now > this.#fleet.nowMs) this.#fleet.step(now - this.#fleet.nowMs);
    for (const s of this.#fleet.snapshots(now)) if (s.rig === this.rig) ctx.emit(s);
  }

  async close(): Promise<void> {}
}
