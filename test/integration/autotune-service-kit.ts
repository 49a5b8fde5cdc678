// Pieces of the auto-tune service tests: a source reading one simulated rig, a one-H100 rig under the
// sim actuator with short validation windows, and the Service over it with a journal and kill switch.

import pino from 'pino';
import { type AutotuneOptionsInput, KillSwitch } from '../../src/control/autotune/index.ts';
import { ActionJournal } from '../../src/control/journal/index.ts';
import type { Sink } from '../../src/core/sink.ts';
import { ACTUATOR_REGISTRY } from '../../src/runtime/actuator-registry.ts';
import { Service, type ServiceRig } from '../../src/runtime/service.ts';
import { Fleet } from '../../src/sim/index.ts';
import { SimFleetSource } from '../fakes/sim-fleet-source.ts';
import type { FakeClock } from '../helpers/fake-clock.ts';

export const T0 = Date.UTC(2026, 4, 1, 12);
export const RIG = 'rig0';

/**
 * Windows short enough for a few simulated minutes: the first step after ~45 s of baseline, its
 * verdict ~70 s later. The H100's default limit is 700 W; steps go down from there.
 */
export const FAST: AutotuneOptionsInput = {
  baseline_ms: 60_000,
  settle_ms: 10_000,
  watch_ms: 60_000,
  block_ms: 10_000,
  min_interval_ms: 0,
  cooldown_ms: 60_000,
  max_actions_per_hour: 20,
  bounds: { power_limit_w: { min: 550 } },
};

/** One rig with one H100 (seed 5, as test/integration/autotune-sim.test.ts). */
export function h100Fleet(): Fleet {
  return new Fleet({ seed: 5, startMs: T0, gpuRigs: 1, gpusPerRig: 1, asics: 0, gpuModel: 'h100' });
}

/** The sim rig as the service runs it, its actuator built through the registry. */
export function simRig(
  fleet: Fleet,
  mode: 'advise' | 'auto',
  options: AutotuneOptionsInput = FAST,
): ServiceRig {
  return {
    name: RIG,
    scorer: {},
    sources: [{ source: new SimFleetSource(fleet, RIG), fastCapable: false, intervalMs: 1000 }],
    autotune: mode,
    autotuneOptions: options,
    actuator: {
      key: 'sim',
      kind: 'sim',
      create: () => ACTUATOR_REGISTRY.sim.create({}, RIG, { fleet }),
    },
  };
}

/** A service process: its journal (opened from `dir`, as a start does), kill switch and Service. */
export interface Process {
  readonly service: Service;
  readonly journal: ActionJournal;
  readonly killSwitch: KillSwitch;
}

/** Opens the journal and builds the service over `rigs` and `sinks` on `clock` (not started). */
export async function boot(
  dir: string,
  clock: FakeClock,
  rigs: readonly ServiceRig[],
  sinks: readonly Sink[],
): Promise<Process> {
  const journal = await ActionJournal.open({ dir });
  const killSwitch = new KillSwitch();
  const service = new Service(
    rigs,
    { intervalMs: 1000, burstIntervalMs: 200, burstDurationMs: 0 },
    {
      clock,
      timers: clock,
      logger: pino({ level: 'silent' }),
      sinks,
      healthPeriodMs: 60_000,
      control: { journal, killSwitch },
    },
  );
  return { service, journal, killSwitch };
}

/** The GPU's power limit as the simulated device runs it, W. */
export function powerLimitW(fleet: Fleet): number {
  return fleet.rig(RIG).gpus[0].powerLimitW;
}
