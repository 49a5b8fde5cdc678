// The nvidia-smi query rigtune runs: the field list of the real H100 capture (fixtures/h100/) and the
// command-line arguments for a streaming CSV query without units in the values.

/** Fields queried by default: exactly the columns of the H100 capture, in its order. */
export const QUERY_FIELDS = [
  'timestamp',
  'index',
  'name',
  'uuid',
  'pci.bus_id',
  'power.draw',
  'enforced.power.limit',
  'power.max_limit',
  'temperature.gpu',
  'temperature.memory',
  'clocks.current.sm',
  'clocks.current.memory',
  'utilization.gpu',
  'utilization.memory',
  'fan.speed',
  'pstate',
  'clocks_event_reasons.active',
  'memory.used',
  'memory.total',
] as const;

/** The older name of the clock-event bitmask, for drivers that reject `clocks_event_reasons.active`. */
export const LEGACY_THROTTLE_FIELD = 'clocks_throttle_reasons.active';

/** Settings of a streaming query. */
export interface SmiQuery {
  /** Fields to query, in column order. */
  readonly fields: readonly string[];
  /** Sampling period passed as `-lms`, ms. */
  readonly intervalMs: number;
  /** GPUs to query (`-i`: indexes, UUIDs or PCI bus ids); default all. */
  readonly gpus?: readonly string[];
}

/** Arguments for `nvidia-smi`: `--query-gpu=… --format=csv,nounits -lms N [-i …]`. */
export function queryArgs(query: SmiQuery): string[] {
  const args = [
    `--query-gpu=${query.fields.join(',')}`,
    '--format=csv,nounits',
    '-lms',
    String(query.intervalMs),
  ];
  if (query.gpus && query.gpus.length > 0) args.push('-i', query.gpus.join(','));
  return args;
}
