// GMiner `/stat` (fixtures gminer/1.34 and gminer/2.90): `speedUnit` (1.x) or `speed_unit` (2.x),
// per-device shares, and from 2.x stale/invalid counters and a second algorithm when dual mining.

import {
  arrayOf,
  countOf,
  describeValue,
  gpuDeviceName,
  hashrateFactor,
  type JsonRecord,
  type MapResultBuilder,
  normalizePciBusId,
  numberOf,
  positiveOf,
  RIG_TOTAL_DEVICE,
  recordOf,
  scaled,
  stringOf,
} from '../../common/index.ts';

/** True when `reply` looks like GMiner's `/stat`. */
export function isGminer(r: JsonRecord): boolean {
  const named = typeof r.miner === 'string' && /^gminer/i.test(r.miner);
  return Array.isArray(r.devices) && (named || 'total_accepted_shares' in r);
}

function unitFactor(b: MapResultBuilder, unit: unknown, which: string): number | null {
  const factor = hashrateFactor(unit);
  if (factor === null) b.warn(`GMiner ${which} '${describeValue(unit)}' unknown; hash rates left null`);
  return factor;
}

/** Maps a GMiner reply into `b`. The total has no hash rate: GMiner reports none of its own. */
export function mapGminer(b: MapResultBuilder, r: JsonRecord): void {
  const factor = unitFactor(b, r.speed_unit ?? r.speedUnit, 'speed unit');
  const dual = 'speed_unit2' in r;
  const factor2 = dual ? unitFactor(b, r.speed_unit2, 'speed_unit2') : null;
  const miner = stringOf(r.miner);
  b.set(RIG_TOTAL_DEVICE, {
    accepted_shares: countOf(r.total_accepted_shares),
    rejected_shares: countOf(r.total_rejected_shares),
    stale_shares: 'total_stale_shares' in r ? countOf(r.total_stale_shares) : null,
    // Invalid = failed the miner's own check, never submitted: counted as HW errors (README).
    hw_errors: 'total_invalid_shares' in r ? countOf(r.total_invalid_shares) : null,
  });
  b.device({
    device: RIG_TOTAL_DEVICE,
    model: 'GMiner',
    firmware: miner?.replace(/^gminer\s*/i, '') || undefined,
  });
  b.raw(RIG_TOTAL_DEVICE, 'miner', miner);
  b.raw(RIG_TOTAL_DEVICE, 'algorithm', stringOf(r.algorithm));
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(r.uptime));
  b.raw(RIG_TOTAL_DEVICE, 'electricity_kwh', numberOf(r.electricity) ?? undefined);
  b.raw(RIG_TOTAL_DEVICE, 'shares_per_minute', numberOf(r.shares_per_minute) ?? undefined);
  // The pool's estimate of our hash rate, not the miner's measurement: raw only.
  if ('pool_speed' in r) b.raw(RIG_TOTAL_DEVICE, 'pool_hashrate', scaled(numberOf(r.pool_speed), factor));
  b.raw(RIG_TOTAL_DEVICE, 'pool', stringOf(r.server));
  if (dual) {
    b.raw(RIG_TOTAL_DEVICE, 'pool_hashrate_2', scaled(numberOf(r.pool_speed2), factor2));
    b.raw(RIG_TOTAL_DEVICE, 'accepted_shares_2', countOf(r.total_accepted_shares2));
    b.raw(RIG_TOTAL_DEVICE, 'rejected_shares_2', countOf(r.total_rejected_shares2));
  }

  for (const entry of arrayOf(r.devices)) {
    const d = recordOf(entry);
    const busId = normalizePciBusId(d.bus_id);
    const index = numberOf(d.gpu_id);
    const device = gpuDeviceName(busId, index);
    if (device === null) {
      b.warn('GMiner device without bus_id or gpu_id skipped');
      continue;
    }
    b.set(device, {
      hashrate_5s: scaled(numberOf(d.speed), factor),
      accepted_shares: countOf(d.accepted_shares),
      rejected_shares: countOf(d.rejected_shares),
      stale_shares: 'stale_shares' in d ? countOf(d.stale_shares) : null,
      hw_errors: 'invalid_shares' in d ? countOf(d.invalid_shares) : null,
      temp_core_c: positiveOf(d.temperature),
      temp_mem_c: positiveOf(d.memory_temperature),
      power_w: positiveOf(d.power_usage),
      fan_pct: numberOf(d.fan),
      clock_core_mhz: positiveOf(d.core_clock),
      clock_mem_mhz: positiveOf(d.memory_clock),
    });
    b.device({ device, model: stringOf(d.name) ?? undefined, pci_bus_id: busId ?? undefined });
    b.raw(device, 'temperature_limit_c', numberOf(d.temperature_limit) ?? undefined);
    b.raw(device, 'memory_temperature_limit_c', numberOf(d.memory_temperature_limit) ?? undefined);
    if (dual) b.raw(device, 'hashrate_2', scaled(numberOf(d.speed2), factor2));
  }
}
