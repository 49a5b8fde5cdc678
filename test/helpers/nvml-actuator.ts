// Shared set-up of the NVML actuator tests: the two-GPU control script with per-GPU extra lines, a
// context, and an actuator opened on the fake library and closed after the body, pass or fail.

import {
  create,
  type NvmlActuator,
  type NvmlActuatorOptionsInput,
} from '../../src/control/actuators/nvml/index.ts';
import type { ActuatorContext } from '../../src/core/actuator.ts';
import { type FakeNvml, fakeNvmlScript } from './build-fake-nvml.ts';

/** Device names of the two GPUs of control-gpus.txt (canonical PCI bus ids, as the nvml source). */
export const H100 = '0000:00:06.0';
export const RTX = '0000:0a:00.0';

/** An actuator context with a still clock and a live signal. */
export const CTX: ActuatorContext = {
  clock: { nowMs: () => 0, sleep: async () => undefined },
  signal: new AbortController().signal,
};

/** control-gpus.txt with `h100` lines added to GPU 0 and `rtx` lines to GPU 1 (script keys). */
export function controlScript(extra: { readonly h100?: string; readonly rtx?: string } = {}): string {
  const text = fakeNvmlScript('control-gpus.txt');
  const second = text.indexOf('\ndevice\n', text.indexOf('\ndevice\n') + 1);
  return `${text.slice(0, second)}\n${extra.h100 ?? ''}${text.slice(second)}\n${extra.rtx ?? ''}\n`;
}

/** Runs `body` with an nvml actuator on `fake` serving `script`; closes it afterwards. */
export async function withActuator(
  fake: FakeNvml,
  script: string,
  options: Omit<NvmlActuatorOptionsInput, 'library_path'>,
  body: (actuator: NvmlActuator) => Promise<void>,
): Promise<void> {
  fake.useScript(script);
  const actuator = create({ ...options, library_path: fake.libraryPath }, { rig: 'rig-a' });
  try {
    await body(actuator);
  } finally {
    await actuator.close();
  }
}
