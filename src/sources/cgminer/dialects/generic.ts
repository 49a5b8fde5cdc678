// Any other cgminer-family miner (Avalon, Innosilicon, unknown builds): rig totals from `summary`
// only, the hash-rate key's prefix (GHS/MHS/KHS) giving the unit. Boards are not guessed.

import { GH, MH, SUMMARY, SUMMARY_COUNTERS, total } from './common.ts';
import type { Dialect } from './types.ts';

/** Generic cgminer: `summary` totals only. */
export const generic: Dialect = {
  name: 'cgminer',
  label: 'generic cgminer',
  required: ['summary'],
  multiCommand: false,
  rules: [
    total(SUMMARY, 'hashrate_5s', [
      { key: 'GHS 5s', scale: GH },
      { key: 'MHS 5s', scale: MH },
      { key: 'KHS 5s', scale: 1e3 },
    ]),
    total(SUMMARY, 'hashrate_1m', [
      { key: 'GHS 1m', scale: GH },
      { key: 'MHS 1m', scale: MH },
      { key: 'KHS 1m', scale: 1e3 },
    ]),
    ...SUMMARY_COUNTERS,
  ],
};
