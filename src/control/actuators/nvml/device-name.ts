// The device name of a GPU for the control layer: the same canonical PCI bus id the nvml source puts in
// its snapshots (`0000:00:06.0`), else `gpu<index>`, so advice, actions and readings join on one key.

import type { NvmlDevice } from '../../../protocols/nvml/index.ts';

const FULL = /^([0-9a-f]{1,8}):([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;
const NO_DOMAIN = /^([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/**
 * The lower-case `dddd:bb:dd.f` form of a PCI bus id written `DDDDDDDD:BB:DD.F`, `DDDD:BB:DD.F` or
 * `BB:DD.F`; null for anything else. Same rule as sources/common normalizePciBusId (a test in
 * test/integration compares the names both components give the same GPUs).
 */
export function canonicalBusId(text: string | null): string | null {
  if (text === null) return null;
  const s = text.trim();
  const m = FULL.exec(s) ?? NO_DOMAIN.exec(s);
  if (!m) return null;
  const parts = m.length === 5 ? m.slice(1) : ['0', ...m.slice(1)];
  const [domain, bus, device, fn] = parts.map((p) => Number.parseInt(p, 16));
  if (bus > 0xff || device > 0x1f || fn > 7) return null;
  const hex = (v: number, width: number) => v.toString(16).padStart(width, '0');
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`;
}

/** The device name of an enumerated GPU: canonical PCI bus id, else `gpu<index>`. */
export function deviceNameOf(device: NvmlDevice): string {
  return canonicalBusId(device.pciBusId) ?? `gpu${device.index}`;
}

/** True when `device` is selected by the `devices` option (bus id in any spelling, or UUID). */
export function isSelected(device: NvmlDevice, wanted: readonly string[] | undefined): boolean {
  if (!wanted) return true;
  const bus = canonicalBusId(device.pciBusId);
  return wanted.some(
    (w) => (bus !== null && canonicalBusId(w) === bus) || w.toLowerCase() === device.uuid?.toLowerCase(),
  );
}
