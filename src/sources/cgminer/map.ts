// Pure mapping of one poll's replies to snapshots: the dialect's field table fills the rig total and
// one snapshot per hashboard; pools, identity and the quirks met become raw fields. No I/O, no clock.

import type { QuirkName } from '../../protocols/cgminer/index.ts';
import { type MapResult, MapResultBuilder, RIG_TOTAL_DEVICE } from '../common/index.ts';
import type { Identity } from './detect.ts';
import type { Dialect } from './dialects/index.ts';
import { applyRules, type Replies, rowsOf } from './rules.ts';
import { lastShareAgeS, QuirkLog, toNumber } from './values.ts';

/** A MapResult plus the quirk names met (reader repairs and mapping conversions). */
export interface CgminerMapResult extends MapResult {
  readonly quirks: readonly QuirkName[];
}

/** What the mapper needs besides the replies. */
export interface MapInput {
  /** Sample time, epoch ms (also the "now" for epoch `Last Share Time` ages). */
  readonly ts: number;
  readonly rig: string;
  readonly identity: Identity;
  /** Quirks already met for these replies (reader repairs, detection). */
  readonly quirks?: readonly QuirkName[];
}

function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}

/** Raw fields of the active pool (`Stratum Active`, else the lowest `Priority`). */
function mapPools(replies: Replies, b: MapResultBuilder, quirks: QuirkLog, nowMs: number): void {
  const rows = rowsOf(replies, { command: 'pools', section: 'POOLS' });
  if (rows.length === 0) return;
  const byPriority = [...rows].sort(
    (a, z) => (toNumber(a.Priority, quirks) ?? 0) - (toNumber(z.Priority, quirks) ?? 0),
  );
  const active = rows.find((r) => r['Stratum Active'] === true) ?? byPriority[0];
  const t = RIG_TOTAL_DEVICE;
  // POOL is 0-based on Antminer/BOSminer and 1-based on the Whatsminer M31S capture: kept as sent.
  b.raw(t, 'pools.POOL', toNumber(active.POOL, quirks));
  if (typeof active.URL === 'string') b.raw(t, 'pools.URL', withoutUserInfo(active.URL));
  b.raw(t, 'pools.last_share_age_s', lastShareAgeS(active['Last Share Time'], nowMs, quirks));
  b.raw(t, 'pools.Pool Rejected%', toNumber(active['Pool Rejected%'], quirks));
  let stale = active['Pool Stale%'];
  if (stale === undefined && Object.hasOwn(active, 'Pool Stale%%')) {
    quirks.add('key-spelling-drift'); // S19 `pools`: "Pool Stale%%"
    stale = active['Pool Stale%%'];
  }
  b.raw(t, 'pools.Pool Stale%', toNumber(stale, quirks));
}

/**
 * Snapshots from one poll's replies (command → parsed, status-checked reply): device `total` first,
 * then `board<N>` in the firmware's own numbering. Hash rates in H/s, temperatures in °C, power in W,
 * fans in RPM and %; counters raw (resets are telemetry's job). The miners' percentages, uptime,
 * chip counts, pool and identity go to raw fields. `stratum_latency_ms` is always null here.
 */
export function mapCgminer(dialect: Dialect, replies: Replies, input: MapInput): CgminerMapResult {
  const b = new MapResultBuilder(input.ts, input.rig);
  const quirks = new QuirkLog();
  quirks.addAll(input.quirks ?? []);
  b.set(RIG_TOTAL_DEVICE, { stratum_latency_ms: null });
  const warnings = applyRules(dialect, replies, b, quirks);
  mapPools(replies, b, quirks, input.ts);
  const { model, firmware } = input.identity;
  const built = b.build();
  for (const s of built.snapshots) b.device({ device: s.device, model, firmware });
  b.raw(RIG_TOTAL_DEVICE, 'dialect', dialect.name);
  b.raw(RIG_TOTAL_DEVICE, 'firmware', firmware ?? null);
  b.raw(RIG_TOTAL_DEVICE, 'model', model ?? null);
  const list = quirks.list();
  if (list.length > 0) b.raw(RIG_TOTAL_DEVICE, 'quirks', list.join(','));
  for (const w of warnings) b.warn(w);
  const result = b.build();
  return { ...result, quirks: list };
}
