// Antminer stock firmware (bmminer / "cgminer 1.0.0", and cgminer 4.x on older models): rig totals
// from `summary`, hashboards from `stats` indexed keys (`chain_rate1..n`, `temp_chip1..n`, `fan1..n`).

import { GH, raws, STATS, SUMMARY, SUMMARY_COUNTERS, total } from './common.ts';
import type { Dialect, IndexedBoardRule, Rule } from './types.ts';

function board(
  field: IndexedBoardRule['field'],
  keys: IndexedBoardRule['keys'],
  more: Partial<IndexedBoardRule> = {},
): IndexedBoardRule {
  return { kind: 'indexed-board', ...STATS, field, keys, ...more };
}

/** `stats` hashboard rules shared with LuxOS, which emulates bmminer's `stats`. */
export const ANTMINER_STATS_RULES: readonly Rule[] = [
  // Per-board hash rate in `rate_unit` (S17/S19: "GH"); strings on S17/S19 (`"37603.30"`).
  board('hashrate_5s', ['chain_rate{n}'], { scale: 'rate-unit' }),
  board('hashrate_expected', ['chain_rateideal{n}'], { scale: 'rate-unit', zeroIsNull: true }),
  board('hw_errors', ['chain_hw{n}']),
  // `temp_chip{n}` "78-50-69-70" (4 sensors); older firmware has only `temp2_{n}` (hottest chip).
  board('temp_chip_max_c', ['temp_chip{n}'], { parse: 'dash-max' }),
  board('temp_chip_max_c', ['temp2_{n}'], { zeroIsNull: true }),
  board('clock_core_mhz', ['freq{n}', 'freq_avg{n}', 'frequency{n}'], { zeroIsNull: true }),
  // `stats` repeats `GHS 5s` (a string on S17): the fallback when `summary` did not answer.
  total(STATS, 'hashrate_5s', ['GHS 5s'], { scale: GH }),
  total(STATS, 'hashrate_expected', ['total_rateideal'], { scale: 'rate-unit', zeroIsNull: true }),
  total(STATS, 'fan_rpm', ['fan{n}'], { reduce: 'max' }),
  { kind: 'from-boards', field: 'hashrate_expected', reduce: 'sum' },
  { kind: 'from-boards', field: 'temp_chip_max_c', reduce: 'max' },
  ...raws(STATS, ['chain_acn{n}', 'temp_pcb{n}', 'temp_pic{n}'], { device: 'board' }),
  ...raws(STATS, ['chain_acs{n}'], { device: 'board', parse: 'chip-status' }),
  ...raws(STATS, [
    ['total rate', { key: 'total_rate', drift: true }],
    'rate_unit',
    'miner_count',
    'Mode',
    'fan_num',
  ]),
];

/** Antminer bmminer/cgminer: GH/s keys (`GHS 5s`), boards numbered as the web UI's chains (1-based). */
export const antminer: Dialect = {
  name: 'antminer',
  label: 'Antminer stock firmware (bmminer/cgminer)',
  required: ['summary'],
  multiCommand: true,
  indexedBoards: { ...STATS, presence: ['chain_acn{n}', 'chain_rate{n}'] },
  rules: [
    total(SUMMARY, 'hashrate_5s', ['GHS 5s'], { scale: GH }),
    ...SUMMARY_COUNTERS,
    ...raws(SUMMARY, ['GHS av', 'GHS 30m']),
    ...ANTMINER_STATS_RULES,
  ],
};
