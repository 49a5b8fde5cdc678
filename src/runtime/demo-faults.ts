// Which rupture events caught which of the demo's injected faults: each fault label is matched to the
// devices its effect shows on, as the miners' APIs name them, and the delay from onset to detection.

import type { RuptureClass, RuptureEvent } from '../core/scores.ts';
import { RUPTURE_CLASSES } from '../core/scores.ts';
import type { FaultLabel, Fleet } from '../sim/index.ts';
import { normalizePciBusId } from '../sources/common/index.ts';

/** What became of one injected fault. */
export interface FaultCatch {
  readonly label: FaultLabel;
  /** `kind@rig[/device]`, as in the fault spec. */
  readonly name: string;
  /** Clock time the fault took effect, epoch ms. */
  readonly onsetMs: number;
  /** Devices (as the sources name them) where an event counts as catching it; null = any of the rig. */
  readonly devices: readonly string[] | null;
  /** Events on those devices detected at or after the onset (any class). */
  readonly events: number;
  /** Delay from onset to the detection of the first of them, ms; null when none. */
  readonly firstDelayMs: number | null;
  /** Worst class among them; null when none. */
  readonly worstClass: RuptureClass | null;
}

export interface FaultReport {
  readonly faults: readonly FaultCatch[];
  /** Events on a faulted rig after its fault's onset, but on another device (knock-on effects). */
  readonly collateral: number;
  /** Events no started fault explains (false alarms). */
  readonly unexplained: readonly RuptureEvent[];
}

/** The name a source gives a simulated GPU: its PCI bus id in canonical form (`0000:01:00.0`). */
function gpuName(fleet: Fleet, rig: string, device: string): string {
  const busId = fleet.gpu(rig, device).id.pciBusId;
  return normalizePciBusId(busId) ?? device;
}

/**
 * Devices an event must be on to catch `label`: a GPU fault its GPU (a crashed GPU stops reporting,
 * so also the rig `total` whose hash rate drops); an ASIC board fault that board in the firmware's
 * 1-based numbering (`board1` of the simulator is `chain_rate2`, read as `board2`), a dropout also
 * `total`; an ASIC-wide fault `total`; a rig-wide fault (pool, power supply) any device of the rig.
 */
export function faultDevices(fleet: Fleet, label: FaultLabel): readonly string[] | null {
  if (label.device === null) return null;
  const rig = fleet.rig(label.rig);
  if (rig.type === 'gpu') {
    const gpu = gpuName(fleet, label.rig, label.device);
    return label.kind === 'driver_crash' ? [gpu, 'total'] : [gpu];
  }
  const board = /^board(\d+)$/.exec(label.device);
  if (board === null) return ['total'];
  const wire = `board${Number(board[1]) + 1}`;
  return label.kind === 'hashboard_dropout' ? [wire, 'total'] : [wire];
}

function faultName(label: FaultLabel): string {
  return `${label.kind}@${label.rig}${label.device === null ? '' : `/${label.device}`}`;
}

const worse = (a: RuptureClass | null, b: RuptureClass): RuptureClass =>
  a !== null && RUPTURE_CLASSES.indexOf(a) >= RUPTURE_CLASSES.indexOf(b) ? a : b;

/**
 * Matches `events` to the faults `fleet` has started. `clockMsOf` maps a label's simulation time to
 * the clock time the service saw it at (FleetPacer.clockMsOf). An event is matched to a fault of its
 * rig detected at or after that fault's onset: on one of its devices it catches the fault, on another
 * it is collateral; an event matched to no fault is unexplained.
 */
export function matchFaultEvents(
  fleet: Fleet,
  clockMsOf: (simMs: number) => number,
  events: readonly RuptureEvent[],
): FaultReport {
  const labels = fleet.labels();
  const matched = new Set<RuptureEvent>();
  const onsets = labels.map((l) => clockMsOf(l.ts_start));
  const faults = labels.map((label, i): FaultCatch => {
    const devices = faultDevices(fleet, label);
    const onsetMs = onsets[i];
    let count = 0;
    let first: number | null = null;
    let worst: RuptureClass | null = null;
    for (const e of events) {
      if (e.rig !== label.rig || e.ts_detected < onsetMs) continue;
      if (devices !== null && !devices.includes(e.device)) continue;
      matched.add(e);
      count++;
      first = first === null ? e.ts_detected : Math.min(first, e.ts_detected);
      worst = worse(worst, e.class);
    }
    return {
      label,
      name: faultName(label),
      onsetMs,
      devices,
      events: count,
      firstDelayMs: first === null ? null : first - onsetMs,
      worstClass: worst,
    };
  });
  let collateral = 0;
  const unexplained: RuptureEvent[] = [];
  for (const e of events) {
    if (matched.has(e)) continue;
    if (labels.some((l, i) => l.rig === e.rig && e.ts_detected >= onsets[i])) collateral++;
    else unexplained.push(e);
  }
  return { faults, collateral, unexplained };
}

/** One line per started fault, then one for the events no fault explains. */
export function formatFaultReport(report: FaultReport): string[] {
  const lines = report.faults.map((f) => {
    const where = f.devices === null ? 'any device' : f.devices.join(' or ');
    if (f.events === 0) return `  ${f.name}: not caught yet (watching ${where})`;
    const delayS = ((f.firstDelayMs ?? 0) / 1000).toFixed(0);
    const s = f.events === 1 ? '' : 's';
    return `  ${f.name}: ${f.events} event${s} on ${where}, first ${delayS} s after onset, worst ${f.worstClass}`;
  });
  lines.push(
    `  other events: ${report.collateral} on faulted rigs, ${report.unexplained.length} unexplained`,
  );
  return lines;
}
