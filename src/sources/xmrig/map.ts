// Pure mapping of XMRig `/2/summary` (+ `/2/backends`) replies to snapshots: the rig total from the
// summary, one snapshot per GPU (CUDA/OpenCL threads grouped by bus id) and one for the CPU backend.

import { SourceError } from '../../core/errors.ts';
import {
  arrayOf,
  countOf,
  describeValue,
  differenceOf,
  gpuDeviceName,
  isRecord,
  type JsonRecord,
  type MapResult,
  MapResultBuilder,
  meanOf,
  normalizePciBusId,
  numberOf,
  positiveOf,
  RIG_TOTAL_DEVICE,
  recordOf,
  stringOf,
} from '../common/index.ts';

/** The replies of one poll; `backends` is null when not read or not available. */
export interface XmrigReplies {
  readonly summary: unknown;
  readonly backends: unknown | null;
}

/** Checks the summary is an XMRig miner's `/2/summary`; throws SourceError otherwise. */
export function sniffSummary(summary: unknown): JsonRecord {
  const s = recordOf(summary);
  if (!isRecord(s.hashrate) || !Array.isArray(s.hashrate.total))
    throw new SourceError('protocol', 'Not an XMRig /2/summary reply (no hashrate.total array)', {
      command: '/2/summary',
    });
  if (s.kind !== undefined && s.kind !== 'miner')
    throw new SourceError(
      'unsupported',
      `XMRig kind '${describeValue(s.kind)}' is not a miner (xmrig-proxy?)`,
      {
        command: '/2/summary',
      },
    );
  return s;
}

/** `[10 s, 60 s, 15 min]` hash-rate windows (H/s; null until a window has filled). */
function windows(v: unknown): [number | null, number | null, number | null] {
  const a = arrayOf(v);
  return [numberOf(a[0]), numberOf(a[1]), numberOf(a[2])];
}

function addOrNull(a: number | null | undefined, b: number | null): number | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  return Number.isFinite(a + b) ? a + b : null;
}

function mapSummary(b: MapResultBuilder, s: JsonRecord): void {
  const [h10s, h60s, h15m] = windows(recordOf(s.hashrate).total);
  const results = recordOf(s.results);
  const connection = recordOf(s.connection);
  const good = countOf(results.shares_good);
  b.set(RIG_TOTAL_DEVICE, {
    hashrate_5s: h10s,
    hashrate_1m: h60s,
    accepted_shares: good,
    rejected_shares: differenceOf(countOf(results.shares_total), good),
    stratum_latency_ms: positiveOf(connection.ping),
  });
  const version = stringOf(s.version);
  b.device({ device: RIG_TOTAL_DEVICE, model: 'XMRig', firmware: version ?? undefined });
  b.raw(RIG_TOTAL_DEVICE, 'version', version);
  b.raw(RIG_TOTAL_DEVICE, 'algo', stringOf(s.algo));
  b.raw(RIG_TOTAL_DEVICE, 'uptime_s', numberOf(s.uptime));
  b.raw(RIG_TOTAL_DEVICE, 'hashrate_15m', h15m);
  b.raw(RIG_TOTAL_DEVICE, 'hashrate_highest', numberOf(recordOf(s.hashrate).highest));
  // Sum of accepted shares' difficulty in XMRig's source, with no rejected counterpart: kept raw.
  b.raw(RIG_TOTAL_DEVICE, 'hashes_total', numberOf(results.hashes_total));
  b.raw(RIG_TOTAL_DEVICE, 'diff_current', numberOf(results.diff_current));
  b.raw(RIG_TOTAL_DEVICE, 'pool', stringOf(connection.pool));
  b.raw(RIG_TOTAL_DEVICE, 'pool_failures', numberOf(connection.failures));
  b.raw(RIG_TOTAL_DEVICE, 'paused', typeof s.paused === 'boolean' ? s.paused : null);
}

function mapGpuThread(
  b: MapResultBuilder,
  thread: JsonRecord,
  type: string,
  seen: Map<string, number>,
): void {
  const busId = normalizePciBusId(thread.bus_id);
  const index = numberOf(thread.index);
  const device = gpuDeviceName(busId, index);
  if (device === null) {
    b.warn(`XMRig ${type} thread without bus_id or index skipped`);
    return;
  }
  const [h10s, h60s] = windows(thread.hashrate);
  const health = recordOf(thread.health);
  // Several threads may drive one GPU: hash rates add up, health is per GPU (first thread's).
  const threads = (seen.get(device) ?? 0) + 1;
  seen.set(device, threads);
  if (threads > 1) {
    const prior = b.get(device);
    b.set(device, {
      hashrate_5s: addOrNull(prior?.hashrate_5s, h10s),
      hashrate_1m: addOrNull(prior?.hashrate_1m, h60s),
    });
    return;
  }
  b.set(device, {
    hashrate_5s: h10s,
    hashrate_1m: h60s,
    temp_core_c: positiveOf(health.temperature),
    power_w: positiveOf(health.power),
    clock_core_mhz: positiveOf(health.clock),
    clock_mem_mhz: positiveOf(health.mem_clock),
    fan_pct: meanOf(arrayOf(health.fan_speed)),
  });
  b.device({ device, model: stringOf(thread.name) ?? undefined, pci_bus_id: busId ?? undefined });
  b.raw(device, 'backend', type);
}

function mapBackends(b: MapResultBuilder, backends: unknown, cpuBrand: string | null): void {
  if (!Array.isArray(backends)) {
    b.warn('XMRig /2/backends reply is not an array; per-device values skipped');
    return;
  }
  const seen = new Map<string, number>();
  for (const entry of backends) {
    const backend = recordOf(entry);
    const type = stringOf(backend.type);
    if (backend.enabled === false) continue;
    if (type === 'cpu') {
      const [h10s, h60s] = windows(backend.hashrate);
      b.set('cpu', { hashrate_5s: h10s, hashrate_1m: h60s });
      b.device({ device: 'cpu', model: cpuBrand ?? undefined });
    } else if (type === 'cuda' || type === 'opencl') {
      for (const t of arrayOf(backend.threads)) mapGpuThread(b, recordOf(t), type, seen);
    } else b.warn(`XMRig backend type '${describeValue(backend.type)}' not mapped`);
  }
}

/**
 * Snapshots from one poll: device `total` (summary), `cpu` (CPU backend), and one per GPU named by
 * its canonical PCI bus id (`gpu<index>` when the thread has none). Windows: hashrate_5s ← the 10 s
 * window, hashrate_1m ← 60 s. Throws SourceError('protocol'|'unsupported') for a foreign summary.
 */
export function mapXmrig(replies: XmrigReplies, ts: number, rig: string): MapResult {
  const summary = sniffSummary(replies.summary);
  const b = new MapResultBuilder(ts, rig);
  mapSummary(b, summary);
  if (replies.backends !== null) mapBackends(b, replies.backends, stringOf(recordOf(summary.cpu).brand));
  return b.build();
}
