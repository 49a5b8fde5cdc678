// lolMiner's `PCIE_Address` ("1:0", "11:0"): CUDA/OpenCL bus and device numbers printed in decimal,
// without domain or function. We read them as domain 0, function 0 (see README, "Quirks").

import { pciBusIdFromParts, stringOf } from '../../common/index.ts';

const BUS_DEVICE = /^(\d{1,3}):(\d{1,2})$/;

/** The canonical bus id of a lolMiner `PCIE_Address`, or null when it has another shape. */
export function busIdOfPcieAddress(address: unknown): string | null {
  const s = stringOf(address);
  const m = s === null ? null : BUS_DEVICE.exec(s);
  return m === null ? null : pciBusIdFromParts(0, Number(m[1]), Number(m[2]), 0);
}
