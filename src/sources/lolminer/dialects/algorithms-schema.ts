// lolMiner's newer `/summary` schema (1.5x+, fixture 1.92): `Workers[]` hold the sensors, and each
// `Algorithms[]` entry holds totals plus per-worker arrays (`Worker_Performance[i]` ↔ `Workers[i]`).

import {
  arrayOf,
  countOf,
  describeValue,
  gpuDeviceName,
  hashrateFactor,
  type JsonRecord,
  type MapResultBuilder,
  numberOf,
  positiveOf,
  RIG_TOTAL_DEVICE,
  recordOf,
  scaled,
  stringOf,
} from '../../common/index.ts';
import { busIdOfPcieAddress } from './pcie-address.ts';

function factorOf(b: MapResultBuilder, algo: JsonRecord): number | null {
  // Performance_Factor (1e6 for "Mh/s") is the miner's own conversion; the unit text is the fallback.
  const factor = positiveOf(algo.Performance_Factor) ?? hashrateFactor(algo.Performance_Unit);
  if (factor === null)
    b.warn(
      `lolMiner Performance_Unit '${describeValue(algo.Performance_Unit)}' unknown; hash rates left null`,
    );
  return factor;
}

/** Maps a newer-schema reply (already sniffed) into `b`. The first algorithm fills the snapshots. */
export function mapAlgorithmsSchema(b: MapResultBuilder, reply: JsonRecord): void {
  const algos = arrayOf(reply.Algorithms).map(recordOf);
  const main = algos[0] ?? {};
  const factor = factorOf(b, main);
  b.set(RIG_TOTAL_DEVICE, {
    hashrate_5s: scaled(numberOf(main.Total_Performance), factor),
    accepted_shares: countOf(main.Total_Accepted),
    rejected_shares: countOf(main.Total_Rejected),
    stale_shares: countOf(main.Total_Stales),
    hw_errors: countOf(main.Total_Errors),
  });
  b.raw(RIG_TOTAL_DEVICE, 'algorithm', stringOf(main.Algorithm));
  b.raw(RIG_TOTAL_DEVICE, 'performance_unit', stringOf(main.Performance_Unit));
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(recordOf(reply.Session).Uptime));
  b.raw(RIG_TOTAL_DEVICE, 'pool', stringOf(main.Pool));
  // Dual mining: the second algorithm has no snapshot field of its own; its total is kept raw.
  for (const [i, extra] of algos.slice(1).entries()) {
    b.raw(RIG_TOTAL_DEVICE, `algorithm_${i + 2}`, stringOf(extra.Algorithm));
    b.raw(
      RIG_TOTAL_DEVICE,
      `hashrate_${i + 2}`,
      scaled(numberOf(extra.Total_Performance), factorOf(b, extra)),
    );
  }

  const per = (key: string, i: number) => arrayOf(main[key])[i];
  for (const [i, entry] of arrayOf(reply.Workers).entries()) {
    const worker = recordOf(entry);
    const busId = busIdOfPcieAddress(worker.PCIE_Address);
    const index = numberOf(worker.Index);
    const device = gpuDeviceName(busId, index);
    if (device === null) {
      b.warn('lolMiner worker without PCIE_Address or Index skipped');
      continue;
    }
    b.set(device, {
      hashrate_5s: scaled(numberOf(per('Worker_Performance', i)), factor),
      accepted_shares: countOf(per('Worker_Accepted', i)),
      rejected_shares: countOf(per('Worker_Rejected', i)),
      stale_shares: countOf(per('Worker_Stales', i)),
      hw_errors: countOf(per('Worker_Errors', i)),
      power_w: positiveOf(worker.Power),
      clock_core_mhz: positiveOf(worker.CCLK),
      clock_mem_mhz: positiveOf(worker.MCLK),
      temp_core_c: positiveOf(worker.Core_Temp),
      temp_mem_c: positiveOf(worker.Mem_Temp),
      fan_pct: numberOf(worker.Fan_Speed),
    });
    b.device({ device, model: stringOf(worker.Name) ?? undefined, pci_bus_id: busId ?? undefined });
    b.raw(device, 'junction_temp_c', positiveOf(worker.Juc_Temp));
    b.raw(device, 'lhr_unlock_pct', numberOf(worker.LHR_Unlock_Pct));
  }
}
