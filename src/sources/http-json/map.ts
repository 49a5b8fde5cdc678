// Pure mapping of any JSON document to snapshots by the configured path → field mappings: values in
// the declared unit are converted to the field's unit; a missing or non-numeric value gives null and a
// warning naming the mapping, never a crash and never a made-up number.

import { type MapResult, MapResultBuilder, numberOf } from '../common/index.ts';
import { type JsonPath, parseJsonPath, readJsonPath } from './json-path.ts';
import type { HttpJsonMapping } from './options.ts';
import { toFieldUnit, type Unit, unitsFor } from './units.ts';

/** A mapping with its paths parsed (done once, at create time). */
export interface CompiledMapping {
  readonly index: number;
  readonly field: HttpJsonMapping['field'];
  readonly unit: Unit;
  readonly path: JsonPath;
  readonly device: { readonly name: string } | { readonly path: JsonPath } | null;
}

function mustParse(text: string, index: number): JsonPath {
  const parsed = parseJsonPath(text);
  // Options validation rejects bad paths first; reaching this is a programming error.
  if (!parsed.ok) throw new Error(`mappings[${index}]: bad path '${text}': ${parsed.message}`);
  return parsed.path;
}

/** Parses validated mappings. */
export function compileMappings(mappings: readonly HttpJsonMapping[]): CompiledMapping[] {
  return mappings.map((m, index) => ({
    index,
    field: m.field,
    unit: m.unit ?? unitsFor(m.field)[0],
    path: mustParse(m.path, index),
    device:
      m.device === undefined
        ? null
        : typeof m.device === 'string'
          ? { name: m.device }
          : { path: mustParse(m.device.path, index) },
  }));
}

function deviceName(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/**
 * Snapshots from one document. Mappings without `[*]` fill `device` (or their constant device);
 * mappings with `[*]` fill one device per array element, named by their device path or `dev<i>`.
 */
export function mapJson(
  doc: unknown,
  mappings: readonly CompiledMapping[],
  ts: number,
  rig: string,
  defaultDevice: string,
): MapResult {
  const b = new MapResultBuilder(ts, rig);
  for (const m of mappings) {
    const where = `mappings[${m.index}] (${m.path.text} → ${m.field})`;
    const read = readJsonPath(m.path, doc);
    if (read.missingAt !== null) b.warn(`${where}: ${read.missingAt} not found; left null`);
    const isList = m.path.wildcardAt >= 0;
    if (!isList && read.missingAt !== null) {
      b.set(m.device !== null && 'name' in m.device ? m.device.name : defaultDevice, { [m.field]: null });
      continue;
    }
    const names = m.device !== null && 'path' in m.device ? readJsonPath(m.device.path, doc).values : [];
    let missing = 0;
    let unnamed = 0;
    let notNumeric = 0;
    for (const [i, value] of read.values.entries()) {
      let device = defaultDevice;
      if (m.device !== null && 'name' in m.device) device = m.device.name;
      else if (isList) {
        const named = m.device === null ? null : deviceName(names[i]);
        if (m.device !== null && named === null) unnamed += 1;
        device = named ?? `dev${i}`;
      }
      let converted: number | null = null;
      if (value === undefined) missing += 1;
      else if (value !== null) {
        const n = numberOf(value);
        const inUnit = n === null ? null : toFieldUnit(n, m.unit);
        if (inUnit === null || !Number.isFinite(inUnit)) notNumeric += 1;
        else converted = inUnit;
      }
      b.set(device, { [m.field]: converted });
    }
    if (missing > 0)
      b.warn(
        `${where}: ${isList ? `${missing} of ${read.values.length} elements have no value` : 'not found'}; left null`,
      );
    if (notNumeric > 0) b.warn(`${where}: ${notNumeric} value(s) not a number; left null`);
    if (unnamed > 0) b.warn(`${where}: ${unnamed} element(s) without a device name; named dev<i>`);
  }
  return b.build();
}
