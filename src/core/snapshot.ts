// The snapshot schema: one record per device per sample. Field names and units are a contract
// shared by sources, scoring, Parquet files and Valkey payloads; every numeric field may be null.

/** Numeric gauge channels of a snapshot (instantaneous readings). */
export const GAUGE_FIELDS = [
  'hashrate_5s',
  'hashrate_1m',
  'hashrate_expected',
  'power_w',
  'power_limit_w',
  'temp_core_c',
  'temp_mem_c',
  'temp_chip_max_c',
  'temp_inlet_c',
  'temp_outlet_c',
  'temp_target_c',
  'fan_pct',
  'fan_rpm',
  'clock_core_mhz',
  'clock_mem_mhz',
  'util_pct',
  'stratum_latency_ms',
] as const;

/** Share counters (counts and difficulty sums): the reject rate comes from their deltas. */
export const SHARE_FIELDS = [
  'accepted_shares',
  'rejected_shares',
  'stale_shares',
  'diff_accepted',
  'diff_rejected',
  'diff_stale',
] as const;

/** Monotonic counters: rates come from their deltas, with reset detection (telemetry/counters). */
export const COUNTER_FIELDS = [...SHARE_FIELDS, 'hw_errors', 'energy_j'] as const;

/** Every numeric field, gauges then counters then the throttle bitmask. */
export const NUMERIC_FIELDS = [...GAUGE_FIELDS, ...COUNTER_FIELDS, 'throttle_flags'] as const;

export type GaugeField = (typeof GAUGE_FIELDS)[number];
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/**
 * One device sample. Units are in the names: hashrates in H/s, power in W, energy in J, temperatures
 * in °C, clocks in MHz, fan and utilisation in percent, latency in ms. `throttle_flags` is the NVML
 * clock-event-reasons bitmask (0 = not throttled). Null means "not measured in this sample".
 */
export type SnapshotValues = { readonly [K in NumericField]: number | null };

export interface Snapshot extends SnapshotValues {
  /** Sample time, epoch milliseconds. */
  readonly ts: number;
  readonly rig: string;
  readonly device: string;
}

/** A snapshot with every numeric field null: the starting point for sources that fill a few. */
export function emptySnapshot(ts: number, rig: string, device: string): Snapshot {
  const values = Object.fromEntries(NUMERIC_FIELDS.map((f) => [f, null])) as unknown as SnapshotValues;
  return { ts, rig, device, ...values };
}

/** True when `name` is a numeric snapshot field. */
export function isNumericField(name: string): name is NumericField {
  return (NUMERIC_FIELDS as readonly string[]).includes(name);
}

/** True when `name` is a monotonic counter field. */
export function isCounterField(name: string): name is CounterField {
  return (COUNTER_FIELDS as readonly string[]).includes(name);
}

/**
 * A snapshot after the telemetry stage: per gauge channel its EMA and the EMA's change since the
 * previous sample (same unit as the channel, per sample), and per counter its rate per second from
 * the counter's delta (null across a counter reset or a gap).
 */
export interface DerivedSnapshot extends Snapshot {
  readonly ema: { readonly [K in GaugeField]?: number | null };
  readonly ema_delta: { readonly [K in GaugeField]?: number | null };
  readonly rate_per_s: { readonly [K in CounterField]?: number | null };
  /** Counters that went backwards at this sample (a miner restart), by name. */
  readonly counter_resets: readonly CounterField[];
}
