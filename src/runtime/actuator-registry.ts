// The explicit registry of actuator drivers (no registration by side effect): per kind its options
// schema and a factory taking what the runtime hands every driver (rig, environment, the sim fleet).

import type { z } from 'zod';
import * as braiins from '../control/actuators/braiins/index.ts';
import * as luxos from '../control/actuators/luxos/index.ts';
import * as nvml from '../control/actuators/nvml/index.ts';
import * as sim from '../control/actuators/sim/index.ts';
import type { Actuator } from '../core/actuator.ts';
import { type ActuatorError, RigtuneError } from '../core/errors.ts';
import type { Fleet } from '../sim/index.ts';
import { normalizePciBusId } from '../sources/common/index.ts';
import { RenamedActuator } from './renamed-actuator.ts';

/** What the runtime hands a driver it builds. */
export interface ActuatorRegistryDeps {
  /** Environment for `{ env: NAME }` secrets and RIGTUNE_NVML_LIB. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The simulated fleet (`rigtune demo`, tests): the only thing the sim driver can act on. */
  readonly fleet?: Fleet;
  /**
   * How the rig's source names the simulated GPUs: `sim` (gpu0…, the fleet's own snapshots; default)
   * or `pci_bus_id` (as a miner API serving them reports them: XMRig in `rigtune demo`).
   */
  readonly simDeviceNames?: 'sim' | 'pci_bus_id';
  /**
   * Wraps each driver the runtime builds for `rig` (an A-B-A study shares the controller's driver
   * through a one-call-at-a-time wrapper); default: the driver itself.
   */
  readonly wrap?: (rig: string, actuator: Actuator) => Actuator;
  /** Hears a LuxOS session the driver could not log off (logged by the runtime). */
  readonly onLogoffFailure?: (rig: string, err: ActuatorError) => void;
}

/** Everything the runtime needs to know about one kind of actuator. */
export interface ActuatorEntry {
  readonly kind: string;
  /** The strict zod schema of the kind's options (control/actuators/<kind>/options.ts). */
  readonly optionsSchema: z.ZodType;
  /** Validates `options` (RT_CONFIG_INVALID) and builds the driver for `rig`; opens nothing yet. */
  readonly create: (options: unknown, rig: string, deps: ActuatorRegistryDeps) => Actuator;
}

/** Every actuator kind rigtune has, by kind; src/control/actuators/<kind>/ for each. */
export const ACTUATOR_REGISTRY: Readonly<Record<string, ActuatorEntry>> = {
  sim: {
    kind: sim.kind,
    optionsSchema: sim.optionsSchema,
    create: (o, rig, deps) => {
      if (deps.fleet === undefined)
        throw new RigtuneError(
          'RT_CONFIG_INVALID',
          `rig ${rig}: actuator kind sim acts on a simulated fleet, which only \`rigtune demo\` and tests provide`,
          { field: 'actuator.kind', rig },
        );
      const fleet = deps.fleet;
      const driver = sim.create(o as sim.SimActuatorOptionsInput, { fleet, rig });
      if (deps.simDeviceNames !== 'pci_bus_id') return driver;
      const names = new Map<string, string>();
      for (const gpu of fleet.rig(rig).gpus) {
        const busId = normalizePciBusId(gpu.id.pciBusId);
        if (busId !== null) names.set(gpu.device, busId);
      }
      return new RenamedActuator(driver, names);
    },
  },
  nvml: {
    kind: nvml.kind,
    optionsSchema: nvml.optionsSchema,
    create: (o, rig, deps) => nvml.create(o as nvml.NvmlActuatorOptionsInput, { rig, env: deps.env }),
  },
  braiins: {
    kind: braiins.kind,
    optionsSchema: braiins.optionsSchema,
    create: (o, rig, deps) =>
      braiins.create(o as braiins.BraiinsActuatorOptionsInput, { rig, env: deps.env }),
  },
  luxos: {
    kind: luxos.kind,
    optionsSchema: luxos.optionsSchema,
    create: (o, rig, deps) =>
      luxos.create(o as luxos.LuxosActuatorOptionsInput, {
        rig,
        onLogoffFailure: (err) => deps.onLogoffFailure?.(rig, err),
      }),
  },
};

/** Every registered kind, in registry order. */
export const ACTUATOR_KINDS: readonly string[] = Object.keys(ACTUATOR_REGISTRY);

/** The entry of `kind`; throws RT_CONFIG_INVALID naming the known kinds when there is none. */
export function actuatorEntry(kind: string): ActuatorEntry {
  const entry = Object.hasOwn(ACTUATOR_REGISTRY, kind) ? ACTUATOR_REGISTRY[kind] : undefined;
  if (entry === undefined)
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `unknown actuator kind '${kind}' (known: ${ACTUATOR_KINDS.join(', ')})`,
      { field: 'actuator.kind' },
    );
  return entry;
}
