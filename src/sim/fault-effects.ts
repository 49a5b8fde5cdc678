// What a device's active faults add up to: the strongest severity of each kind, and the list of
// thermal-paste drifts; devices recompute this when their fault list changes, not every step.

import type { ActiveFault } from './faults.ts';

/** Combined effect of the faults active on one device (0 / false / empty = none). */
export interface FaultEffects {
  /** fan_failure severity (GPU: its fan; ASIC: see `fanFailByIndex`). */
  readonly fanFail: number;
  readonly memErrors: number;
  readonly psuSag: number;
  /** driver_crash: the GPU has fallen off the bus. */
  readonly offBus: boolean;
  readonly ignoreWrites: boolean;
  /** Active thermal_paste faults (their drift depends on time, so they are kept whole). */
  readonly paste: readonly ActiveFault[];
}

export const NO_FAULT_EFFECTS: FaultEffects = {
  fanFail: 0,
  memErrors: 0,
  psuSag: 0,
  offBus: false,
  ignoreWrites: false,
  paste: [],
};

/** Combines `faults`: for each kind the strongest severity counts (faults do not stack). */
export function combineFaults(faults: readonly ActiveFault[]): FaultEffects {
  let fanFail = 0;
  let memErrors = 0;
  let psuSag = 0;
  let offBus = false;
  let ignoreWrites = false;
  for (const f of faults) {
    const s = f.label.severity;
    switch (f.label.kind) {
      case 'fan_failure':
        fanFail = Math.max(fanFail, s);
        break;
      case 'memory_errors':
        memErrors = Math.max(memErrors, s);
        break;
      case 'psu_sag':
        psuSag = Math.max(psuSag, s);
        break;
      case 'driver_crash':
        offBus = true;
        break;
      case 'ignore_writes':
        ignoreWrites = true;
        break;
      default:
        break;
    }
  }
  return {
    fanFail,
    memErrors,
    psuSag,
    offBus,
    ignoreWrites,
    paste: faults.filter((f) => f.label.kind === 'thermal_paste'),
  };
}

/** Thermal-resistance multiplier of the paste drifts at `tMs`: 1 + gain·Σ severity·ramp progress. */
export function pasteFactor(paste: readonly ActiveFault[], tMs: number, gain: number): number {
  let factor = 1;
  for (const f of paste) {
    const x = (tMs - f.label.ts_start) / Math.max(1, f.rampMs);
    factor += gain * f.label.severity * Math.min(1, Math.max(0, x));
  }
  return factor;
}
