// Braiins OS / BOSminer cgminer-compatible API on TCP 4028: totals from `summary`, power from
// `tunerstatus`, fans from `fans`, boards from `devs` and `temps` rows (joined on `ID`). MH/s on the wire.

import { MH, raws, SUMMARY, SUMMARY_COUNTERS, total } from './common.ts';
import type { Dialect, ListBoardRule } from './types.ts';

const DEVS = { command: 'devs', section: 'DEVS' } as const;
const TEMPS = { command: 'temps', section: 'TEMPS' } as const;
const FANS = { command: 'fans', section: 'FANS' } as const;
const TUNER = { command: 'tunerstatus', section: 'TUNERSTATUS' } as const;

function devs(
  field: ListBoardRule['field'],
  keys: ListBoardRule['keys'],
  more: Partial<ListBoardRule> = {},
): ListBoardRule {
  return { kind: 'list-board', ...DEVS, idKeys: ['ID'], field, keys, ...more };
}

/** BOSminer: boards numbered by the chain `ID` (S9: 6, 7, 8 — the control-board connectors). */
export const braiins: Dialect = {
  name: 'braiins',
  label: 'Braiins OS (BOSminer cgminer API)',
  required: ['summary'],
  multiCommand: true,
  rules: [
    total(SUMMARY, 'hashrate_5s', ['MHS 5s'], { scale: MH }),
    total(SUMMARY, 'hashrate_1m', ['MHS 1m'], { scale: MH }),
    ...SUMMARY_COUNTERS,
    // ApproximateMinerPowerConsumption is 0 while the miner is paused: unknown, not 0 W.
    total(TUNER, 'power_w', ['ApproximateMinerPowerConsumption'], { zeroIsNull: true }),
    total(TUNER, 'power_limit_w', ['PowerLimit'], { zeroIsNull: true }),
    total(FANS, 'fan_rpm', ['RPM'], { reduce: 'max' }),
    total(FANS, 'fan_pct', ['Speed'], { reduce: 'max' }),
    devs('hashrate_5s', ['MHS 5s'], { scale: MH }),
    devs('hashrate_1m', ['MHS 1m'], { scale: MH }),
    devs('hashrate_expected', ['Nominal MHS'], { scale: MH, zeroIsNull: true }),
    devs('hw_errors', ['Hardware Errors']),
    // `Chip` is 0.0 when the firmware has no chip sensor (S9 capture): null, not 0 °C.
    {
      kind: 'list-board',
      ...TEMPS,
      idKeys: ['ID'],
      field: 'temp_chip_max_c',
      keys: ['Chip'],
      zeroIsNull: true,
    },
    { kind: 'from-boards', field: 'hashrate_expected', reduce: 'sum' },
    { kind: 'from-boards', field: 'temp_chip_max_c', reduce: 'max' },
    ...raws(SUMMARY, ['MHS av', 'MHS 24h']),
    ...raws(TUNER, ['ApproximateChainPowerConsumption', 'DynamicPowerScaling']),
    ...raws(TEMPS, ['Board'], { device: 'board', idKeys: ['ID'] }),
    ...raws(DEVS, ['Status', 'Hardware Error MHS 15m'], { device: 'board', idKeys: ['ID'] }),
  ],
};
