// LuxOS (LUXminer) on TCP 4028: bmminer-style `stats` for the boards, plus `power` (watts), `fans`
// (duty %), `devs` (nominal rate per board) and `temps` (intake/exhaust sensors named in METADATA).

import { ANTMINER_STATS_RULES } from './antminer.ts';
import { GH, MH, raws, SUMMARY, SUMMARY_COUNTERS, total } from './common.ts';
import type { Dialect, LabelledBoardRule, ListBoardRule } from './types.ts';

const DEVS = { command: 'devs', section: 'DEVS' } as const;
const TEMPS = { command: 'temps', section: 'TEMPS' } as const;
const POWER = { command: 'power', section: 'POWER' } as const;
const FANS = { command: 'fans', section: 'FANS' } as const;

// `devs` ASC 0.. and `temps` ID 0.. are the chains `stats` numbers 1..: offset 1.
const ROW_ID = { idKeys: ['ASC', 'ID'], idOffset: 1 } as const;

function devs(
  field: ListBoardRule['field'],
  keys: ListBoardRule['keys'],
  more: Partial<ListBoardRule> = {},
): ListBoardRule {
  return { kind: 'list-board', ...DEVS, ...ROW_ID, field, keys, ...more };
}

function sensors(field: LabelledBoardRule['field'], label: RegExp, reduce: 'max' | 'min'): LabelledBoardRule {
  return {
    kind: 'labelled-board',
    ...TEMPS,
    labelSection: 'METADATA',
    ...ROW_ID,
    field,
    label,
    reduce,
    zeroIsNull: true,
  };
}

/** LuxOS: GH/s keys in `summary`, boards numbered like Antminer chains (1-based). */
export const luxos: Dialect = {
  name: 'luxos',
  label: 'LuxOS (LUXminer)',
  required: ['summary'],
  multiCommand: true,
  indexedBoards: { command: 'stats', section: 'STATS', presence: ['chain_acn{n}', 'chain_rate{n}'] },
  rules: [
    total(SUMMARY, 'hashrate_5s', ['GHS 5s'], { scale: GH }),
    total(SUMMARY, 'hashrate_1m', ['GHS 1m'], { scale: GH }),
    ...SUMMARY_COUNTERS,
    // `PSU: false` means the watts are the firmware's estimate, not a PSU reading (kept as raw).
    total(POWER, 'power_w', ['Watts'], { zeroIsNull: true }),
    total(FANS, 'fan_pct', ['Speed'], { reduce: 'max' }),
    devs('hashrate_1m', ['MHS 1m'], { scale: MH }),
    devs('hashrate_expected', ['Nominal MHS'], { scale: MH, zeroIsNull: true }),
    ...ANTMINER_STATS_RULES,
    sensors('temp_inlet_c', /intake|inlet/i, 'min'),
    sensors('temp_outlet_c', /exhaust|outlet/i, 'max'),
    ...raws(SUMMARY, ['GHS av', 'GHS 30m']),
    ...raws(POWER, ['PSU']),
    ...raws(DEVS, ['Profile', 'IsRamping', 'IsUserShutdown', 'Connector', 'Temperature'], {
      device: 'board',
      ...ROW_ID,
    }),
  ],
};
