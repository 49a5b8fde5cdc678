// Pure mapping of one nvidia-smi CSV row to a snapshot: field names (current and older aliases) to
// snapshot fields, a unit check against the header, and the rest as raw fields. Hash rates stay null.

import type { NumericField } from '../../core/snapshot.ts';
import type { SmiColumn, SmiRow, SmiValue } from '../../protocols/nvidia-smi/index.ts';
import { type MapResult, MapResultBuilder, normalizePciBusId } from '../common/index.ts';

/** Snapshot field ← nvidia-smi fields (first present wins) and the unit the header must show. */
const SNAPSHOT_FIELDS: readonly [NumericField, readonly string[], string | null][] = [
  ['power_w', ['power.draw', 'power.draw.average', 'power.draw.instant'], 'W'],
  ['power_limit_w', ['enforced.power.limit', 'gpu.power.current_limit', 'power.limit'], 'W'],
  ['temp_core_c', ['temperature.gpu'], null],
  ['temp_mem_c', ['temperature.memory'], null],
  ['clock_core_mhz', ['clocks.current.sm', 'clocks.sm'], 'MHz'],
  ['clock_mem_mhz', ['clocks.current.memory', 'clocks.mem'], 'MHz'],
  ['util_pct', ['utilization.gpu'], '%'],
  ['fan_pct', ['fan.speed'], '%'],
  ['throttle_flags', ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'], null],
];

/** Raw field ← nvidia-smi field, with the expected header unit (same raw names as the nvml source). */
const RAW_FIELDS: readonly [string, string, string | null][] = [
  ['pstate', 'pstate', null],
  ['util_mem_pct', 'utilization.memory', '%'],
  ['memory_used_mib', 'memory.used', 'MiB'],
  ['memory_total_mib', 'memory.total', 'MiB'],
  ['power_limit_max_w', 'power.max_limit', 'W'],
  ['power_limit_min_w', 'power.min_limit', 'W'],
  ['power_limit_default_w', 'power.default_limit', 'W'],
  ['power_limit_requested_w', 'power.limit', 'W'],
];

/**
 * The device id of a row: the canonical lower-case PCI bus id (`0000:00:06.0`), else `gpu<index>`,
 * else null (the row cannot be attributed and is dropped).
 */
export function deviceIdOfRow(row: SmiRow): string | null {
  const bus = normalizePciBusId(row.values['pci.bus_id'] ?? row.values.gpu_bus_id);
  if (bus) return bus;
  const index = row.values.index;
  return typeof index === 'number' ? `gpu${index}` : null;
}

/** Columns whose header unit is not the one the mapping assumes (their values are not trusted). */
export function unitMismatches(columns: readonly SmiColumn[]): string[] {
  const expected = new Map<string, string | null>();
  for (const [, names, unit] of SNAPSHOT_FIELDS) for (const n of names) expected.set(n, unit);
  for (const [, name, unit] of RAW_FIELDS) expected.set(name, unit);
  return columns
    .filter((c) => expected.has(c.name) && c.unit !== null && c.unit !== expected.get(c.name))
    .map((c) => `${c.name} [${c.unit}]`);
}

const asNumber = (v: SmiValue | undefined): number | null => (typeof v === 'number' ? v : null);

/**
 * Maps one row (timestamped by nvidia-smi) to one snapshot. `distrusted` lists fields whose header
 * unit was unexpected: they map to null. Returns null when the row names no device.
 */
export function mapSmiRow(
  row: SmiRow,
  rig: string,
  fallbackTs: number,
  distrusted: ReadonlySet<string> = new Set(),
): MapResult | null {
  const device = deviceIdOfRow(row);
  if (device === null) return null;
  const b = new MapResultBuilder(row.ts ?? fallbackTs, rig);
  const pick = (names: readonly string[]) => {
    for (const n of names) if (n in row.values) return distrusted.has(n) ? null : asNumber(row.values[n]);
    return null;
  };
  const name = row.values.name ?? row.values.gpu_name;
  const uuid = row.values.uuid ?? row.values.gpu_uuid;
  b.device({
    device,
    model: typeof name === 'string' ? name : undefined,
    uuid: typeof uuid === 'string' ? uuid : undefined,
    pci_bus_id: normalizePciBusId(row.values['pci.bus_id'] ?? row.values.gpu_bus_id) ?? undefined,
  });
  b.set(device, Object.fromEntries(SNAPSHOT_FIELDS.map(([field, names]) => [field, pick(names)])));
  for (const [raw, field] of RAW_FIELDS) {
    const v = row.values[field];
    if (v !== undefined && v !== null && !distrusted.has(field)) b.raw(device, raw, v);
  }
  return b.build();
}
