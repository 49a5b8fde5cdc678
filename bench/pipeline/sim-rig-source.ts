// A source that reads one simulated rig in process: each poll advances that rig's devices to the
// clock's time and emits their snapshots, so every poll is a fresh reading (as NVML at 1 Hz would be).
// Pool latency is one rig-level reading, as real rigs report it (a miner API's rig total or the stratum
// probe's `pool:` device), not a copy on every GPU: GPU rigs get one `pool:` snapshot per poll.

import { emptySnapshot } from '../../src/core/snapshot.ts';
import type { Source, SourceContext } from '../../src/core/source.ts';
import type { Fleet, SimRig } from '../../src/sim/index.ts';

export class SimRigSource implements Source {
  readonly kind = 'sim';
  readonly rig: string;
  readonly #fleet: Fleet;
  readonly #sim: SimRig;
  /** Called at the start of every poll (the bench times a tick from here). */
  readonly #onPoll: (rig: string) => void;

  constructor(fleet: Fleet, sim: SimRig, onPoll: (rig: string) => void) {
    this.#fleet = fleet;
    this.#sim = sim;
    this.rig = sim.name;
    this.#onPoll = onPoll;
  }

  async poll(ctx: SourceContext): Promise<void> {
    this.#onPoll(this.rig);
    const now = ctx.clock.nowMs();
    const rig = this.#sim;
    const dtS = (now - rig.clock.nowMs) / 1000;
    if (dtS > 0) {
      const ambient = this.#fleet.ambientC(rig, now);
      rig.pool.step(dtS);
      for (const gpu of rig.gpus) gpu.step(dtS, now, ambient);
      rig.asic?.step(dtS, now, ambient);
      rig.clock.nowMs = now;
    }
    for (const gpu of rig.gpus) ctx.emit({ ...gpu.snapshot(now), stratum_latency_ms: null });
    if (rig.gpus.length > 0)
      ctx.emit({ ...emptySnapshot(now, rig.name, 'pool:sim'), stratum_latency_ms: rig.pool.latencyMs });
    if (rig.asic !== null) for (const s of rig.asic.snapshots(now)) ctx.emit(s);
  }

  async close(): Promise<void> {}
}
