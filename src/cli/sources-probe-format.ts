// Text output of `rigtune sources probe`: a per-address table (one column per device, one row per
// field that any device filled) and one clear failure message per address nobody answered at.

import { NUMERIC_FIELDS } from '../core/snapshot.ts';
import type { ProbeResult } from './sources-probe.ts';

/** A number as printed: integers exactly, others to 6 significant digits. */
function numberText(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd()).join('\n');
}

/** Heading line plus a field × device table of `result` (which answered). */
export function formatTable(result: ProbeResult): string {
  const id = result.identity;
  const facts = [
    id.dialect && `dialect ${id.dialect}`,
    id.model && `model ${id.model}`,
    id.firmware && `firmware ${id.firmware}`,
  ].filter(Boolean);
  const n = result.snapshots.length;
  const head = `${result.address}: ${result.kind} at ${result.endpoint}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}, ${n} device${n === 1 ? '' : 's'}`;
  if (n === 0) return `${head}\n\n`;
  const snaps = result.snapshots;
  const info = new Map(result.devices.map((d) => [d.device, d]));
  const rows: string[][] = [['field', ...snaps.map((s) => s.device)]];
  for (const fact of ['model', 'firmware', 'pci_bus_id'] as const) {
    const cells = snaps.map((s) => info.get(s.device)?.[fact] ?? '-');
    if (cells.some((c) => c !== '-')) rows.push([fact, ...cells]);
  }
  for (const f of NUMERIC_FIELDS) {
    if (snaps.every((s) => s[f] === null)) continue;
    rows.push([f, ...snaps.map((s) => (s[f] === null ? '-' : numberText(s[f] as number)))]);
  }
  const warnings = result.warnings.map((w) => `  note: ${w}\n`).join('');
  return `${head}\n${pad(rows)}\n${warnings}\n`;
}

/** One message for an address where nothing answered, with each kind's reason. */
export function describeFailure(result: ProbeResult, timeoutMs: number): string {
  const a = result.attempts;
  const oneEndpoint = a.every((x) => x.endpoint === a[0]?.endpoint);
  if (a.length === 1 || (a.length > 0 && oneEndpoint && a.every((x) => x.error?.kind === 'connect'))) {
    const e = a[0].error;
    return `rigtune: ${result.address}: nothing answers: ${e?.message} [${e?.code}]\n`;
  }
  const lines = a.map((x) => `  ${x.kind} at ${x.endpoint}: ${x.error?.message} [${x.error?.code}]`);
  return `rigtune: ${result.address}: no known API answered (timeout ${timeoutMs} ms per request):\n${lines.join('\n')}\n`;
}
