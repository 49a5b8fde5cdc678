// Synthetic A-B-A studies for the unit tests: one device per spec, AR(1) noise on hash rate and
// power, optional inlet drift and counters, phase markers at the phase starts and an end marker.

import { type SeededRng, seededRng } from '../../kernel/stats/index.ts';
import type { AbaMarker, StudySample } from './types.ts';

export interface SyntheticDevice {
  readonly device: string;
  /** Power in A and in B, W; hash rate in A and in B, H/s. */
  readonly powerA: number;
  readonly powerB: number;
  readonly hashA: number;
  readonly hashB: number;
  /** Power in A2 if it differs from A1 (carry-over), W. */
  readonly powerA2?: number;
  /** Relative noise SD of hash rate and power, and the AR(1) coefficient. */
  readonly noise?: number;
  readonly phi?: number;
  /** Inlet temperature at time t (h from start), °C, and the power slope on it (W/°C). */
  readonly inlet?: (tH: number) => number;
  readonly powerPerC?: number;
  /** Reject probability per share in A and in B; shares per sample. */
  readonly rejectA?: number;
  readonly rejectB?: number;
}

export interface SyntheticStudy {
  readonly rows: StudySample[];
  readonly markers: AbaMarker[];
}

function gauss(rng: SeededRng): number {
  let s = -6;
  for (let k = 0; k < 12; k++) s += rng.next();
  return s;
}

/** Builds a study: phases of `phaseMs`, one sample every `stepMs`, start 2026-01-01T00:00Z. */
export function syntheticStudy(
  devices: readonly SyntheticDevice[],
  phaseMs: number,
  stepMs: number,
  seed: number,
): SyntheticStudy {
  const start = Date.UTC(2026, 0, 1);
  const rows: StudySample[] = [];
  const markers: AbaMarker[] = [];
  for (const d of devices) {
    const rng = seededRng(seed, d.device);
    const phi = d.phi ?? 0.5;
    const sd = (d.noise ?? 0.01) * Math.sqrt(1 - phi * phi);
    let eh = 0;
    let ep = 0;
    let acc = 0;
    let rej = 0;
    for (const [i, phase] of (['A1', 'B', 'A2'] as const).entries())
      markers.push({
        ts_ms: start + i * phaseMs,
        study_id: 'unit',
        rig: 'rig0',
        device: d.device,
        phase,
        treatment: 'power limit',
        setpoint: { kind: 'power_limit_w', value: phase === 'B' ? d.powerB : d.powerA },
      });
    markers.push({
      ts_ms: start + 3 * phaseMs,
      study_id: 'unit',
      rig: 'rig0',
      device: d.device,
      phase: 'end',
      treatment: 'power limit',
      setpoint: null,
    });
    for (let t = start; t < start + 3 * phaseMs; t += stepMs) {
      const ph = Math.floor((t - start) / phaseMs);
      const tH = (t - start) / 3_600_000;
      eh = phi * eh + sd * gauss(rng);
      ep = phi * ep + sd * gauss(rng);
      const inlet = d.inlet?.(tH) ?? 25;
      const basePower = ph === 1 ? d.powerB : ph === 2 ? (d.powerA2 ?? d.powerA) : d.powerA;
      const power = (basePower + (d.powerPerC ?? 0) * (inlet - 25)) * (1 + ep);
      const hash = (ph === 1 ? d.hashB : d.hashA) * (1 + eh);
      const shares = 20;
      const p = ph === 1 ? (d.rejectB ?? 0.01) : (d.rejectA ?? 0.01);
      let r = 0;
      for (let s = 0; s < shares; s++) if (rng.next() < p) r++;
      acc += shares - r;
      rej += r;
      rows.push({
        ts: t,
        rig: 'rig0',
        device: d.device,
        hashrate_5s: hash,
        power_w: power,
        temp_core_c: 60 + 0.1 * (power - d.powerA),
        temp_inlet_c: inlet,
        accepted_shares: acc,
        rejected_shares: rej,
        hw_errors: 0,
      });
    }
  }
  return { rows, markers };
}
