// lolMiner's older `/summary` schema (1.0 … 1.4x): `Session` totals and a `GPUs[]` list whose keys
// carry units ("Consumption (W)", "Temp (deg C)"; "Temps (deg C)" in 1.0). Fixtures 1.0a2 and 1.26.

import {
  arrayOf,
  countOf,
  differenceOf,
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

/** Maps an older-schema reply (already sniffed) into `b`. */
export function mapGpusSchema(b: MapResultBuilder, reply: JsonRecord): void {
  const session = recordOf(reply.Session);
  const mining = recordOf(reply.Mining);
  const stratum = recordOf(reply.Stratum);
  const unit = stringOf(session.Performance_Unit);
  const factor = hashrateFactor(unit);
  if (factor === null) b.warn(`lolMiner Performance_Unit '${unit}' unknown; hash rates left null`);
  const accepted = countOf(session.Accepted);
  b.set(RIG_TOTAL_DEVICE, {
    hashrate_5s: scaled(numberOf(session.Performance_Summary), factor),
    accepted_shares: accepted,
    // Hive's rule: rejected = submitted − accepted (stale shares are not told apart here).
    rejected_shares: differenceOf(countOf(session.Submitted), accepted),
    power_w: positiveOf(session.TotalPower),
    // 0.0 before the first share round trip (1.0a2 fixture): not measured, not 0 ms.
    stratum_latency_ms: positiveOf(stratum.Average_Latency),
  });
  b.raw(RIG_TOTAL_DEVICE, 'algorithm', stringOf(mining.Algorithm));
  b.raw(RIG_TOTAL_DEVICE, 'coin', stringOf(mining.Coin) ?? undefined);
  b.raw(RIG_TOTAL_DEVICE, 'performance_unit', unit);
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(session.Uptime));
  b.raw(RIG_TOTAL_DEVICE, 'pool', stringOf(stratum.Current_Pool));

  for (const entry of arrayOf(reply.GPUs)) {
    const gpu = recordOf(entry);
    const busId = busIdOfPcieAddress(gpu.PCIE_Address);
    const index = numberOf(gpu.Index);
    const device = gpuDeviceName(busId, index);
    if (device === null) {
      b.warn('lolMiner GPU entry without PCIE_Address or Index skipped');
      continue;
    }
    const gpuAccepted = countOf(gpu.Session_Accepted);
    b.set(device, {
      hashrate_5s: scaled(numberOf(gpu.Performance), factor),
      power_w: positiveOf(gpu['Consumption (W)']),
      fan_pct: numberOf(gpu['Fan Speed (%)']),
      temp_core_c: positiveOf(gpu['Temp (deg C)'] ?? gpu['Temps (deg C)']),
      temp_mem_c: positiveOf(gpu['Mem Temp (deg C)']),
      accepted_shares: gpuAccepted,
      rejected_shares: differenceOf(countOf(gpu.Session_Submitted), gpuAccepted),
      hw_errors: countOf(gpu.Session_HWErr),
    });
    b.device({ device, model: stringOf(gpu.Name) ?? undefined, pci_bus_id: busId ?? undefined });
    b.raw(device, 'best_share', numberOf(gpu.Session_BestShare) ?? undefined);
  }
}
