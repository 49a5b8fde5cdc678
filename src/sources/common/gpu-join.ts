// Joins a miner's per-GPU snapshots (hashrate, shares) with NVML's (power, temperatures, clocks) by
// PCI bus id, never by index: GPU order differs between CUDA, NVML and miners (`CUDA_DEVICE_ORDER`).

import type { NumericField, Snapshot } from '../../core/snapshot.ts';
import type { DeviceInfo } from '../../core/source.ts';
import { RIG_TOTAL_DEVICE } from './map-result.ts';
import { normalizePciBusId } from './pci-bus-id.ts';

/** Fields only the miner knows; in a joined snapshot they always come from the miner. */
export const MINER_FIELDS: readonly NumericField[] = [
  'hashrate_5s',
  'hashrate_1m',
  'hashrate_expected',
  'accepted_shares',
  'rejected_shares',
  'stale_shares',
  'diff_accepted',
  'diff_rejected',
  'diff_stale',
  'hw_errors',
  'stratum_latency_ms',
];

/** Why a snapshot was not joined. */
export type UnmatchedReason = 'no-pci-bus-id' | 'no-counterpart' | 'duplicate-pci-bus-id';

export interface UnmatchedDevice {
  readonly rig: string;
  readonly device: string;
  /** The canonical bus id, when one was found. */
  readonly pci_bus_id: string | null;
  readonly reason: UnmatchedReason;
}

export interface JoinMatch {
  readonly rig: string;
  readonly pci_bus_id: string;
  readonly miner: string;
  readonly nvml: string;
}

export interface JoinResult {
  /** Joined snapshots (device = canonical bus id), then every unjoined snapshot unchanged. */
  readonly snapshots: readonly Snapshot[];
  readonly matched: readonly JoinMatch[];
  readonly unmatchedMiner: readonly UnmatchedDevice[];
  readonly unmatchedNvml: readonly UnmatchedDevice[];
}

/** Where to find bus ids when device names are not bus ids themselves (e.g. NVML's `gpu0`). */
export interface JoinOptions {
  readonly minerDevices?: readonly DeviceInfo[];
  readonly nvmlDevices?: readonly DeviceInfo[];
}

interface Keyed {
  readonly snapshot: Snapshot;
  readonly busId: string | null;
}

function busIdOf(s: Snapshot, infos: ReadonlyMap<string, string>): string | null {
  return normalizePciBusId(infos.get(s.device)) ?? normalizePciBusId(s.device);
}

function infoMap(devices: readonly DeviceInfo[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const d of devices ?? []) if (d.pci_bus_id !== undefined) map.set(d.device, d.pci_bus_id);
  return map;
}

/** Groups by `rig|busId`; keys seen more than once are ambiguous and returned apart. */
function index(list: readonly Keyed[]): { unique: Map<string, Keyed>; duplicated: Set<string> } {
  const unique = new Map<string, Keyed>();
  const duplicated = new Set<string>();
  for (const k of list) {
    if (k.busId === null) continue;
    const key = `${k.snapshot.rig}|${k.busId}`;
    if (unique.has(key) || duplicated.has(key)) {
      unique.delete(key);
      duplicated.add(key);
    } else unique.set(key, k);
  }
  return { unique, duplicated };
}

function merge(miner: Snapshot, nvml: Snapshot, busId: string): Snapshot {
  const out: Record<string, unknown> = { ...nvml, ts: Math.max(miner.ts, nvml.ts), device: busId };
  for (const [field, value] of Object.entries(miner)) {
    if (field === 'ts' || field === 'rig' || field === 'device') continue;
    const f = field as NumericField;
    // NVML wins for what it measures; a miner value fills a field NVML left null (GDDR6X memory temp).
    if (MINER_FIELDS.includes(f) || out[f] === null || out[f] === undefined) out[f] = value;
  }
  return out as unknown as Snapshot;
}

/**
 * Merges miner and NVML snapshots of the same rig and PCI bus id (any spelling: `00000000:01:00.0`,
 * `01:00.0`, `0000:01:00.0`, any case). Miner fields (`MINER_FIELDS`) come from the miner; the rest
 * from NVML, falling back to the miner's value where NVML's is null; `ts` is the later of the two.
 * Nothing is matched by index or name: a device without a bus id, without a counterpart, or whose
 * bus id appears twice on one side is reported unmatched and passed through unchanged. The miner's
 * rig total (device `total`) passes through unreported.
 */
export function joinByPciBusId(
  minerSnapshots: readonly Snapshot[],
  nvmlSnapshots: readonly Snapshot[],
  options: JoinOptions = {},
): JoinResult {
  const minerInfo = infoMap(options.minerDevices);
  const nvmlInfo = infoMap(options.nvmlDevices);
  const minerTotals = minerSnapshots.filter((s) => s.device === RIG_TOTAL_DEVICE);
  const miners: Keyed[] = minerSnapshots
    .filter((s) => s.device !== RIG_TOTAL_DEVICE)
    .map((s) => ({ snapshot: s, busId: busIdOf(s, minerInfo) }));
  const nvmls: Keyed[] = nvmlSnapshots.map((s) => ({ snapshot: s, busId: busIdOf(s, nvmlInfo) }));
  const m = index(miners);
  const n = index(nvmls);

  const joined: Snapshot[] = [];
  const matched: JoinMatch[] = [];
  const usedNvml = new Set<string>();
  for (const [key, miner] of m.unique) {
    const nvml = n.unique.get(key);
    if (nvml === undefined || miner.busId === null) continue;
    usedNvml.add(key);
    joined.push(merge(miner.snapshot, nvml.snapshot, miner.busId));
    matched.push({
      rig: miner.snapshot.rig,
      pci_bus_id: miner.busId,
      miner: miner.snapshot.device,
      nvml: nvml.snapshot.device,
    });
  }

  const report = (list: readonly Keyed[], own: typeof m, other: typeof n, used: (key: string) => boolean) => {
    const out: UnmatchedDevice[] = [];
    const passed: Snapshot[] = [];
    for (const k of list) {
      const key = `${k.snapshot.rig}|${k.busId}`;
      if (k.busId !== null && own.unique.has(key) && used(key)) continue;
      let reason: UnmatchedReason = 'no-counterpart';
      if (k.busId === null) reason = 'no-pci-bus-id';
      else if (own.duplicated.has(key) || other.duplicated.has(key)) reason = 'duplicate-pci-bus-id';
      out.push({ rig: k.snapshot.rig, device: k.snapshot.device, pci_bus_id: k.busId, reason });
      passed.push(k.snapshot);
    }
    return { out, passed };
  };
  const minerReport = report(miners, m, n, (key) => usedNvml.has(key));
  const nvmlReport = report(nvmls, n, m, (key) => usedNvml.has(key));
  return {
    snapshots: [...joined, ...minerTotals, ...minerReport.passed, ...nvmlReport.passed],
    matched,
    unmatchedMiner: minerReport.out,
    unmatchedNvml: nvmlReport.out,
  };
}
