// `rigtune study run --demo`: the demo's simulated fleet served over the real miner protocols, its
// rigtune.yaml, and the study service on top (the sim actuator on every rig), so a study runs anywhere.

import { parseConfigText } from '../../config/index.ts';
import { demoConfigYaml, serveDemoFleet } from '../demo-fleet.ts';
import { type RunningStudy, type StudyServiceOptions, startStudyService } from './service.ts';

export interface StudyDemoOptions extends Omit<StudyServiceOptions, 'fleet' | 'simDeviceNames' | 'env'> {
  readonly port: number;
  readonly dataDir: string;
  readonly seed: number;
  /** Fault spec of the fleet (default: the demo's scheduled faults). */
  readonly faults?: string;
}

/** The demo fleet and the study over it; `stop()` also closes the fleet's servers. */
export async function startStudyDemo(
  o: StudyDemoOptions,
): Promise<RunningStudy & { readonly rigs: readonly string[] }> {
  const demo = await serveDemoFleet({ seed: o.seed, clock: o.clock, faults: o.faults });
  try {
    const config = parseConfigText(
      demoConfigYaml(demo.servers, { port: o.port, dataDir: o.dataDir }),
      '<demo>',
      {},
    );
    const running = await startStudyService(config, {
      ...o,
      env: {},
      fleet: demo.fleet,
      // XMRig names the simulated GPUs by PCI bus id: the sim driver answers to those names.
      simDeviceNames: 'pci_bus_id',
    });
    let stopped: Promise<void> | null = null;
    return {
      ...running,
      rigs: demo.servers.map((s) => s.rig),
      stop: () => {
        stopped ??= running.stop().finally(() => demo.close());
        return stopped;
      },
    };
  } catch (err) {
    await demo.close();
    throw err;
  }
}
