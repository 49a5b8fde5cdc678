// Rigel `/stat` (same endpoint as GMiner, different shape): per-algorithm maps `hashrate{algo}` and
// `solution_stat{algo}`, sensors under `devices[].monitoring_info`. No raw capture is stored: the
// fixture rigel/synthetic follows the field usage in wire-formats §3.11.

import {
  arrayOf,
  countOf,
  gpuDeviceName,
  isRecord,
  type JsonRecord,
  type MapResultBuilder,
  normalizePciBusId,
  numberOf,
  positiveOf,
  RIG_TOTAL_DEVICE,
  recordOf,
  stringOf,
} from '../../common/index.ts';

/** True when `reply` looks like Rigel's `/stat`. */
export function isRigel(r: JsonRecord): boolean {
  return Array.isArray(r.devices) && isRecord(r.hashrate) && isRecord(r.solution_stat);
}

const INACTIVE = /disconnect|dead|error|offline|down|standby|idle/i;

/**
 * The average latency of the pool mining `algo`: the single connection, or the one whose state says
 * it is in use. Null (with a warning) when that is ambiguous — never the backup pool's ping.
 */
function poolLatency(b: MapResultBuilder, pools: unknown, algo: string): number | null {
  const entries = arrayOf(recordOf(pools)[algo]).map(recordOf);
  const usable = entries.filter((p) => !INACTIVE.test(stringOf(p.state) ?? ''));
  if (usable.length === 1) return positiveOf(usable[0].average_latency_ms);
  if (usable.length > 1) b.warn(`Rigel reports ${usable.length} usable pools for ${algo}; latency left null`);
  return null;
}

function shares(
  stat: unknown,
  algo: string,
): { accepted: number | null; rejected: number | null; invalid: number | null } {
  const s = recordOf(recordOf(stat)[algo]);
  return { accepted: countOf(s.accepted), rejected: countOf(s.rejected), invalid: countOf(s.invalid) };
}

/** Maps a Rigel reply into `b`; the first algorithm of `algorithm` ("a+b" when dual) fills the fields. */
export function mapRigel(b: MapResultBuilder, r: JsonRecord): void {
  const algos = (stringOf(r.algorithm) ?? '')
    .split('+')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const main = algos[0] ?? Object.keys(recordOf(r.hashrate))[0] ?? '';
  const total = shares(r.solution_stat, main);
  const version = stringOf(r.version);
  b.set(RIG_TOTAL_DEVICE, {
    // Rigel's rates are in H/s, averaged over --hashrate-avg (default 10 s).
    hashrate_5s: numberOf(recordOf(r.hashrate)[main]),
    accepted_shares: total.accepted,
    rejected_shares: total.rejected,
    hw_errors: total.invalid,
    power_w: positiveOf(r.power_usage),
    stratum_latency_ms: poolLatency(b, r.pools, main),
  });
  b.device({ device: RIG_TOTAL_DEVICE, model: 'Rigel', firmware: version ?? undefined });
  b.raw(RIG_TOTAL_DEVICE, 'version', version);
  b.raw(RIG_TOTAL_DEVICE, 'algorithm', stringOf(r.algorithm));
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(r.uptime));
  b.raw(RIG_TOTAL_DEVICE, 'pool_hashrate', numberOf(recordOf(r.pool_hashrate)[main]));
  for (const [i, extra] of algos.slice(1).entries()) {
    b.raw(RIG_TOTAL_DEVICE, `algorithm_${i + 2}`, extra);
    b.raw(RIG_TOTAL_DEVICE, `hashrate_${i + 2}`, numberOf(recordOf(r.hashrate)[extra]));
  }

  for (const entry of arrayOf(r.devices)) {
    const d = recordOf(entry);
    const busId = normalizePciBusId(d.pci_address);
    const index = numberOf(d.id);
    const device = gpuDeviceName(busId, index);
    if (device === null) {
      b.warn('Rigel device without pci_address or id skipped');
      continue;
    }
    const s = shares(d.solution_stat, main);
    const m = recordOf(d.monitoring_info);
    b.set(device, {
      hashrate_5s: numberOf(recordOf(d.hashrate)[main]),
      accepted_shares: s.accepted,
      rejected_shares: s.rejected,
      hw_errors: s.invalid,
      temp_core_c: positiveOf(m.core_temperature),
      temp_mem_c: positiveOf(m.memory_temperature),
      fan_pct: numberOf(m.fan_speed),
      power_w: positiveOf(m.power_usage),
      clock_core_mhz: positiveOf(m.core_clock),
      clock_mem_mhz: positiveOf(m.memory_clock),
    });
    b.device({ device, model: stringOf(d.name) ?? undefined, pci_bus_id: busId ?? undefined });
    b.raw(device, 'state', stringOf(d.state) ?? undefined);
    for (const [i, extra] of algos.slice(1).entries())
      b.raw(device, `hashrate_${i + 2}`, numberOf(recordOf(d.hashrate)[extra]));
  }
}
