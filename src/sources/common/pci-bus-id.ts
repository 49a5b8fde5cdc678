// PCI bus ids in one spelling, the join key between miner per-GPU rows and NVML devices: nvidia-smi
// writes `00000000:01:00.0`, XMRig `01:00.0`, GMiner `0000:0A:00.0`; we keep `0000:01:00.0`.

const FULL = /^([0-9a-f]{1,8}):([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;
const NO_DOMAIN = /^([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i;

/**
 * The canonical lower-case `dddd:bb:dd.f` form of a PCI address from its parts (integers; domain
 * 0..0xffffffff, bus 0..255, device 0..31, function 0..7), or null when a part is out of range.
 * Domains above 0xffff keep their extra digits (`10000:01:00.0`, as Linux writes VMD domains).
 */
export function pciBusIdFromParts(domain: number, bus: number, device: number, fn: number): string | null {
  const ok = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!ok(domain, 0xffffffff) || !ok(bus, 0xff) || !ok(device, 0x1f) || !ok(fn, 7)) return null;
  const hex = (v: number, width: number) => v.toString(16).padStart(width, '0');
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`;
}

/**
 * The canonical form of a hexadecimal PCI bus id written `DDDDDDDD:BB:DD.F`, `DDDD:BB:DD.F` or
 * `BB:DD.F` (domain 0), any case, surrounding spaces ignored; null for anything else (including
 * lolMiner's decimal `bus:device`, which its mapper converts itself).
 */
export function normalizePciBusId(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  const full = FULL.exec(s);
  if (full) return fromHex(full[1], full[2], full[3], full[4]);
  const short = NO_DOMAIN.exec(s);
  if (short) return fromHex('0', short[1], short[2], short[3]);
  return null;
}

function fromHex(domain: string, bus: string, device: string, fn: string): string | null {
  return pciBusIdFromParts(
    Number.parseInt(domain, 16),
    Number.parseInt(bus, 16),
    Number.parseInt(device, 16),
    Number(fn),
  );
}

/**
 * A miner GPU's device name: its PCI bus id when known (so it joins the NVML device), else
 * `gpu<index>`; null when the reply gives neither (the entry is skipped with a warning).
 */
export function gpuDeviceName(busId: string | null, index: number | null): string | null {
  if (busId !== null) return busId;
  return index === null ? null : `gpu${index}`;
}
