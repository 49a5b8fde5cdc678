// Pure mapping of T-Rex `GET /summary` (API 3.0 … 4.x) to snapshots: the rig total and one snapshot
// per GPU named by PCI bus id (API ≥ 3.6 `pci_bus`/`pci_domain`/`pci_id`), else `gpu<device_id>`.

import { SourceError } from '../../core/errors.ts';
import {
  arrayOf,
  countOf,
  gpuDeviceName,
  isRecord,
  type JsonRecord,
  type MapResult,
  MapResultBuilder,
  numberOf,
  pciBusIdFromParts,
  positiveOf,
  RIG_TOTAL_DEVICE,
  recordOf,
  stringOf,
} from '../common/index.ts';

/** Checks `reply` is a T-Rex summary (a `gpus` array and T-Rex's counters); throws otherwise. */
export function sniffSummary(reply: unknown): JsonRecord {
  const r = recordOf(reply);
  const looksLikeTrex = r.name === 't-rex' || typeof r.api === 'string' || 'accepted_count' in r;
  if (!Array.isArray(r.gpus) || !looksLikeTrex)
    throw new SourceError('protocol', 'Not a T-Rex /summary reply (no gpus[] with T-Rex counters)', {
      command: '/summary',
    });
  return r;
}

/** The bus id of a GPU entry: domain and device default to 0 when only `pci_bus` is given (API 3.6). */
export function busIdOfGpu(gpu: JsonRecord): string | null {
  const bus = numberOf(gpu.pci_bus);
  if (bus === null) return null;
  return pciBusIdFromParts(numberOf(gpu.pci_domain) ?? 0, bus, numberOf(gpu.pci_id) ?? 0, 0);
}

/** Share counters of a GPU: `shares{}` (API ≥ 3.6) or the same-position `stat_by_gpu[]` entry (3.3). */
function sharesOf(gpu: JsonRecord, statByGpu: unknown): JsonRecord | null {
  if (isRecord(gpu.shares)) return gpu.shares;
  return isRecord(statByGpu) ? statByGpu : null;
}

function mapGpu(b: MapResultBuilder, gpu: JsonRecord, stat: unknown): void {
  const busId = busIdOfGpu(gpu);
  const index = numberOf(gpu.device_id) ?? numberOf(gpu.gpu_id);
  const device = gpuDeviceName(busId, index);
  if (device === null) {
    b.warn('T-Rex GPU entry without pci_bus or device_id skipped');
    return;
  }
  const shares = sharesOf(gpu, stat);
  b.set(device, {
    hashrate_5s: numberOf(gpu.hashrate),
    hashrate_1m: numberOf(gpu.hashrate_minute),
    temp_core_c: positiveOf(gpu.temperature),
    temp_mem_c: positiveOf(gpu.memory_temperature),
    power_w: positiveOf(gpu.power),
    fan_pct: numberOf(gpu.fan_speed),
    clock_core_mhz: positiveOf(gpu.cclock),
    clock_mem_mhz: positiveOf(gpu.mclock),
    accepted_shares: shares === null ? null : countOf(shares.accepted_count),
    rejected_shares: shares === null ? null : countOf(shares.rejected_count),
    // Invalid = found by the GPU, failed the miner's CPU check, never sent (T-Rex#428): a HW error.
    hw_errors: shares === null ? null : countOf(shares.invalid_count),
  });
  b.device({ device, model: stringOf(gpu.name) ?? undefined, pci_bus_id: busId ?? undefined });
  b.raw(device, 'hashrate_instant', numberOf(gpu.hashrate_instant));
  b.raw(device, 'power_avg_w', numberOf(gpu.power_avr) ?? undefined);
  b.raw(device, 'efficiency', stringOf(gpu.efficiency) ?? undefined);
  b.raw(device, 'lhr_tune', numberOf(gpu.lhr_tune) ?? undefined);
  b.raw(device, 'intensity', numberOf(gpu.intensity) ?? undefined);
  b.raw(device, 'uuid', stringOf(gpu.uuid) ?? undefined);
  if (typeof gpu.potentially_unstable === 'boolean')
    b.raw(device, 'potentially_unstable', gpu.potentially_unstable);
  if (typeof gpu.paused === 'boolean') b.raw(device, 'paused', gpu.paused);
}

/**
 * Snapshots from one `/summary`: device `total` (hashrate_5s ← `hashrate`, T-Rex's sliding average;
 * hashrate_1m ← `hashrate_minute`; shares; pool ping) and one per GPU. Throws SourceError('protocol')
 * for a foreign reply.
 */
export function mapTrex(reply: unknown, ts: number, rig: string): MapResult {
  const r = sniffSummary(reply);
  const b = new MapResultBuilder(ts, rig);
  const pool = recordOf(r.active_pool);
  const version = stringOf(r.version);
  b.set(RIG_TOTAL_DEVICE, {
    hashrate_5s: numberOf(r.hashrate),
    hashrate_1m: numberOf(r.hashrate_minute),
    accepted_shares: countOf(r.accepted_count),
    rejected_shares: countOf(r.rejected_count),
    hw_errors: 'invalid_count' in r ? countOf(r.invalid_count) : null,
    stratum_latency_ms: positiveOf(pool.ping),
  });
  b.device({ device: RIG_TOTAL_DEVICE, model: 'T-Rex', firmware: version ?? undefined });
  b.raw(RIG_TOTAL_DEVICE, 'version', version);
  b.raw(RIG_TOTAL_DEVICE, 'api', stringOf(r.api));
  b.raw(RIG_TOTAL_DEVICE, 'algorithm', stringOf(r.algorithm));
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(r.uptime));
  b.raw(RIG_TOTAL_DEVICE, 'solved_count', countOf(r.solved_count));
  b.raw(RIG_TOTAL_DEVICE, 'sharerate_average', numberOf(r.sharerate_average));
  // A number (API 3.0) or text with a unit ("4.00 G", API 4.1): kept as the miner wrote it.
  const difficulty = pool.difficulty;
  b.raw(
    RIG_TOTAL_DEVICE,
    'pool_difficulty',
    typeof difficulty === 'number' || typeof difficulty === 'string' ? difficulty : null,
  );
  b.raw(RIG_TOTAL_DEVICE, 'pool', stringOf(pool.url));

  const stats = arrayOf(r.stat_by_gpu);
  for (const [i, gpu] of arrayOf(r.gpus).entries()) mapGpu(b, recordOf(gpu), stats[i]);
  return b.build();
}
