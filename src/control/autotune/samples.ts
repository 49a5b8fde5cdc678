// What validation compares, per device sample: efficiency, share and HW-error counts since the previous
// sample, temperatures; and a window's summary (efficiency block means, counts, hottest block means).

import type { Snapshot } from '../../core/snapshot.ts';

/** Temperatures checked against the configured limits. */
export const TEMP_FIELDS = ['temp_core_c', 'temp_mem_c', 'temp_chip_max_c'] as const;
export type TempField = (typeof TEMP_FIELDS)[number];

/** One device sample as validation sees it. Counts are deltas since the previous sample. */
export interface DeviceSample {
  /** Sample time, epoch ms. */
  readonly ts: number;
  /** hashrate_5s / power_w, H/J; null when either is missing or power ≤ 0. */
  readonly efficiencyHPerJ: number | null;
  /** Shares (accepted + rejected + stale) and rejected shares; null across a counter reset or a gap. */
  readonly shares: number | null;
  readonly rejected: number | null;
  readonly hwErrors: number | null;
  /** Seconds since the previous sample; null for the first. */
  readonly dtS: number | null;
  readonly temps: Readonly<Record<TempField, number | null>>;
}

function delta(prev: number | null | undefined, cur: number | null): number | null {
  if (prev === null || prev === undefined || cur === null || cur < prev) return null;
  return cur - prev;
}

function sum(...xs: (number | null)[]): number | null {
  let s = 0;
  for (const x of xs) {
    if (x === null) return null;
    s += x;
  }
  return s;
}

/** The sample of snapshot `s`, with counter deltas from `prev` (the device's previous snapshot). */
export function toSample(prev: Snapshot | null, s: Snapshot): DeviceSample {
  const h = s.hashrate_5s;
  const p = s.power_w;
  return {
    ts: s.ts,
    efficiencyHPerJ: h !== null && p !== null && p > 0 ? h / p : null,
    shares: sum(
      delta(prev?.accepted_shares, s.accepted_shares),
      delta(prev?.rejected_shares, s.rejected_shares),
      delta(prev?.stale_shares, s.stale_shares) ?? 0,
    ),
    rejected: delta(prev?.rejected_shares, s.rejected_shares),
    hwErrors: delta(prev?.hw_errors, s.hw_errors),
    dtS: prev === null ? null : (s.ts - prev.ts) / 1000,
    temps: { temp_core_c: s.temp_core_c, temp_mem_c: s.temp_mem_c, temp_chip_max_c: s.temp_chip_max_c },
  };
}

/** A window of samples reduced to what the tests need. */
export interface WindowSummary {
  readonly startMs: number;
  readonly endMs: number;
  readonly samples: number;
  /** Mean efficiency (H/J) of each `blockMs` block that holds at least one value, in time order. */
  readonly efficiencyBlocks: readonly number[];
  /** Sums over samples whose counters were usable. */
  readonly shares: number;
  readonly rejected: number;
  readonly hwErrors: number;
  /** Seconds covered by usable HW-error deltas. */
  readonly hwSeconds: number;
  /** Highest block mean of each temperature (°C); null when never reported. */
  readonly maxBlockTempC: Readonly<Record<TempField, number | null>>;
}

/** Summarises the samples with `startMs < ts ≤ endMs`, in blocks of `blockMs` from `startMs`. */
export function summarize(
  samples: readonly DeviceSample[],
  startMs: number,
  endMs: number,
  blockMs: number,
): WindowSummary {
  const nBlocks = Math.max(1, Math.ceil((endMs - startMs) / blockMs));
  const eff = new Array<number>(nBlocks).fill(0);
  const effN = new Array<number>(nBlocks).fill(0);
  const temp = TEMP_FIELDS.map(() => ({
    s: new Array<number>(nBlocks).fill(0),
    n: new Array<number>(nBlocks).fill(0),
  }));
  let count = 0;
  let shares = 0;
  let rejected = 0;
  let hwErrors = 0;
  let hwSeconds = 0;
  for (const x of samples) {
    if (x.ts <= startMs || x.ts > endMs) continue;
    count++;
    const b = Math.min(nBlocks - 1, Math.floor((x.ts - startMs - 1) / blockMs));
    if (x.efficiencyHPerJ !== null) {
      eff[b] += x.efficiencyHPerJ;
      effN[b]++;
    }
    if (x.shares !== null && x.rejected !== null) {
      shares += x.shares;
      rejected += x.rejected;
    }
    if (x.hwErrors !== null && x.dtS !== null) {
      hwErrors += x.hwErrors;
      hwSeconds += x.dtS;
    }
    TEMP_FIELDS.forEach((f, i) => {
      const v = x.temps[f];
      if (v !== null) {
        temp[i].s[b] += v;
        temp[i].n[b]++;
      }
    });
  }
  const efficiencyBlocks: number[] = [];
  for (let b = 0; b < nBlocks; b++) if (effN[b] > 0) efficiencyBlocks.push(eff[b] / effN[b]);
  const maxBlockTempC = {} as Record<TempField, number | null>;
  TEMP_FIELDS.forEach((f, i) => {
    let max: number | null = null;
    for (let b = 0; b < nBlocks; b++)
      if (temp[i].n[b] > 0) max = Math.max(max ?? Number.NEGATIVE_INFINITY, temp[i].s[b] / temp[i].n[b]);
    maxBlockTempC[f] = max;
  });
  return {
    startMs,
    endMs,
    samples: count,
    efficiencyBlocks,
    shares,
    rejected,
    hwErrors,
    hwSeconds,
    maxBlockTempC,
  };
}
