// Whatsminer btminer API v2 read commands on TCP 4028: rig totals (power, fans, environment) from
// `summary`, one row per hashboard from `edevs`. All hash rates in MH/s on the wire.

import { GH, MH, raws, SUMMARY, SUMMARY_COUNTERS, total } from './common.ts';
import type { Dialect, ListBoardRule } from './types.ts';

const EDEVS = { command: 'edevs', section: 'DEVS' } as const;

function board(
  field: ListBoardRule['field'],
  keys: ListBoardRule['keys'],
  more: Partial<ListBoardRule> = {},
): ListBoardRule {
  return { kind: 'list-board', ...EDEVS, idKeys: ['Slot', 'ASC', 'ID'], field, keys, ...more };
}

/** btminer v2: boards numbered by `Slot` (0-based, as SM0..SM2 in the web UI). */
export const whatsminer: Dialect = {
  name: 'whatsminer',
  label: 'Whatsminer btminer (API v2)',
  required: ['summary'],
  // M30S answers joined commands with STATUS E (F1 capture); one command per connection.
  multiCommand: false,
  rules: [
    total(SUMMARY, 'hashrate_5s', ['MHS 5s'], { scale: MH }),
    total(SUMMARY, 'hashrate_1m', ['MHS 1m'], { scale: MH }),
    total(SUMMARY, 'hashrate_expected', ['Factory GHS'], { scale: GH, zeroIsNull: true }),
    ...SUMMARY_COUNTERS,
    total(SUMMARY, 'power_w', ['Power']),
    total(SUMMARY, 'power_limit_w', ['Power Limit'], { zeroIsNull: true }),
    total(SUMMARY, 'temp_chip_max_c', ['Chip Temp Max'], { zeroIsNull: true }),
    total(SUMMARY, 'temp_inlet_c', ['Env Temp']),
    // `Power Fanspeed` is the PSU fan: kept raw, not part of the cooling fans.
    total(SUMMARY, 'fan_rpm', ['Fan Speed In', 'Fan Speed Out'], { reduce: 'max' }),
    board('hashrate_5s', ['MHS 5s'], { scale: MH }),
    board('hashrate_1m', ['MHS 1m'], { scale: MH }),
    board('temp_chip_max_c', ['Chip Temp Max'], { zeroIsNull: true }),
    board('hw_errors', ['Hardware Errors']),
    board('clock_core_mhz', ['Chip Frequency'], { zeroIsNull: true }),
    { kind: 'from-boards', field: 'temp_chip_max_c', reduce: 'max' },
    ...raws(SUMMARY, [
      'MHS av',
      'Uptime',
      'Power_RT',
      'Power Mode',
      'Power Fanspeed',
      'Target MHS',
      'Temperature',
      'Hash Stable',
      'Error Code Count',
      'Error Code {n}',
    ]),
    ...raws(EDEVS, ['Temperature', 'Effective Chips', 'Chip Temp Avg', 'Upfreq Complete'], {
      device: 'board',
      idKeys: ['Slot', 'ASC', 'ID'],
    }),
  ],
};
