// The Antminer bmminer ("cgminer 1.0.0", Miner 49.0.1.3) API replies of a simulated ASIC, built from
// the simulator's own templates after wire-formats.md §3.1/§3.2 (never from protocols/): pure.

import type { SimAsic } from '../asic-device.ts';
import type { SimRig } from '../fleet.ts';
import { chipStatusString, hms, type Json, Real, suffixString } from './cgminer-format.ts';

/** STATUS codes of the commands served (cgminer api.c; seen in fixtures, spec §3.1). */
const CODES = {
  pools: 7,
  devs: 9,
  summary: 11,
  version: 22,
  stats: 70,
  invalid: 14,
  invalidJson: 23,
} as const;
const DESCRIPTION = 'cgminer 1.0.0';
const API_VERSION = '3.1';
const BMMINER_VERSION = '1.0.0';

/** What a reply needs besides the miner: its rig (pool URL, name) and the reply time. */
export interface ReplyContext {
  readonly rig: SimRig;
  readonly asic: SimAsic;
  /** Reply time, epoch ms. */
  readonly nowMs: number;
}

function status(code: number, msg: string, nowMs: number, kind: 'S' | 'E' = 'S'): Json {
  return [{ STATUS: kind, When: Math.floor(nowMs / 1000), Code: code, Msg: msg, Description: DESCRIPTION }];
}

const ghs = (hs: number) => new Real(hs / 1e9, 2);
const pct = (part: number, whole: number) => new Real(whole > 0 ? (100 * part) / whole : 0, 4);

/** `summary` → SUMMARY[0] (spec §3.2 table). */
export function summaryReply(c: ReplyContext): Json {
  const a = c.asic;
  const sh = a.shares;
  const elapsed = Math.floor(a.elapsedS);
  const work = sh.diffAccepted + sh.diffRejected + sh.diffStale;
  const hw = a.hwErrors;
  const getwork = sh.accepted + sh.rejected + sh.stale + Math.floor(elapsed / 30);
  return {
    STATUS: status(CODES.summary, 'Summary', c.nowMs),
    SUMMARY: [
      {
        Elapsed: elapsed,
        'GHS 5s': ghs(a.hashrate5s),
        'GHS av': ghs(elapsed > 0 ? a.totalHashes / elapsed : a.hashrate5s),
        'GHS 30m': ghs(a.hashrate30m),
        'Found Blocks': 0,
        Getwork: getwork,
        Accepted: sh.accepted,
        Rejected: sh.rejected,
        'Hardware Errors': hw,
        Utility: new Real(elapsed > 0 ? (60 * sh.accepted) / elapsed : 0, 2),
        Discarded: getwork * 1100,
        Stale: sh.stale,
        'Get Failures': 0,
        'Local Work': getwork * 1100 + sh.accepted,
        'Remote Failures': 0,
        'Network Blocks': Math.floor(elapsed / 600),
        'Total MH': new Real(a.totalHashes / 1e6, 4),
        'Work Utility': new Real(elapsed > 0 ? (60 * (a.totalHashes / 2 ** 32)) / elapsed : 0, 2),
        'Difficulty Accepted': new Real(sh.diffAccepted, 8),
        'Difficulty Rejected': new Real(sh.diffRejected, 8),
        'Difficulty Stale': new Real(sh.diffStale, 8),
        'Best Share': a.bestShare,
        'Device Hardware%': pct(hw, hw + a.totalHashes / 2 ** 32),
        'Device Rejected%': pct(sh.diffRejected, work),
        'Pool Rejected%': pct(sh.diffRejected, work),
        'Pool Stale%': pct(sh.diffStale, work),
        'Last getwork': Math.floor(c.nowMs / 1000),
      },
    ],
    id: 1,
  };
}

/** `stats` → STATS[0] identity + STATS[1] `BTM_SOC0` with per-board `chain_*`, dash-joined temps, fans. */
export function statsReply(c: ReplyContext): Json {
  const a = c.asic;
  const p = a.profile;
  const body: { [key: string]: Json } = {
    STATS: 0,
    ID: 'BTM_SOC0',
    Elapsed: Math.floor(a.elapsedS),
    Calls: 0,
    Wait: 0,
    Max: 0,
    Min: 99999999,
    'GHS 5s': ghs(a.hashrate5s),
    'GHS av': ghs(a.elapsedS > 0 ? a.totalHashes / a.elapsedS : a.hashrate5s),
    rate_30m: ghs(a.hashrate30m),
    Mode: 2,
    miner_count: a.boards.filter((b) => b.present).length,
    frequency: p.freqDefaultMhz,
    fan_num: p.fanCount,
  };
  a.fanRpms().forEach((rpm, k) => {
    body[`fan${k + 1}`] = rpm;
  });
  body.temp_num = p.boards;
  const sensors = a.boards.map((b) => a.sensorTempsC(b));
  sensors.forEach((t, i) => {
    body[`temp${i + 1}`] = t === null ? 0 : Math.round(Math.max(...t)) - 5;
    body[`temp2_${i + 1}`] = t === null ? 0 : Math.round(Math.max(...t));
  });
  const dash = (i: number, delta: number) => {
    const t = i < sensors.length ? sensors[i] : null;
    return t === null ? '0-0-0-0' : t.map((x) => Math.round(x) - delta).join('-');
  };
  for (const [key, delta] of [
    ['temp_pcb', 5],
    ['temp_chip', 0],
    ['temp_pic', 15],
  ] as const)
    for (let i = 0; i < p.slots; i++) body[`${key}${i + 1}`] = dash(i, delta);
  const present = a.boards.filter((b) => b.present);
  body.total_rateideal = new Real(a.idealHs / 1e9, 1);
  body.rate_unit = 'GH';
  body.total_freqavg = Math.round(present.reduce((s, b) => s + b.freqMhz, 0) / Math.max(1, present.length));
  body.total_acn = present.length * p.chipsPerBoard;
  body['total rate'] = ghs(a.hashrate5s); // spelled with a space on S19 (spec §3.1 quirk table)
  body.temp_max = 0;
  body.no_matching_work = a.hwErrors;
  const slot =
    <T extends Json>(fn: (i: number) => T, empty: T) =>
    (i: number) =>
      i < a.boards.length && a.boards[i].present ? fn(i) : empty;
  const fields: [string, (i: number) => Json][] = [
    ['chain_acn', slot(() => p.chipsPerBoard, 0)],
    ['chain_acs', slot((i) => chipStatusString(a.boards[i].alive), '')],
    ['chain_hw', (i) => (i < a.boards.length ? a.boards[i].hwErrors : 0)],
    ['chain_rate', slot((i) => (a.boards[i].rate5s / 1e9).toFixed(2), '')],
    ['freq', slot((i) => Math.round(a.boards[i].freqMhz), 0)],
  ];
  for (const [key, fn] of fields) for (let i = 0; i < p.slots; i++) body[`${key}${i + 1}`] = fn(i);
  body.miner_version = p.minerVersion;
  body.miner_id = a.minerId;
  return {
    STATUS: status(CODES.stats, 'CGMiner stats', c.nowMs),
    STATS: [
      { BMMiner: BMMINER_VERSION, Miner: p.minerVersion, CompileTime: p.compileTime, Type: p.model },
      body,
    ],
    id: 1,
  };
}

/** `devs` → one pseudo-device BTM_SOC: zero rates and `Tenperature` (sic), share counters (spec §3.2). */
export function devsReply(c: ReplyContext): Json {
  const a = c.asic;
  const sh = a.shares;
  const elapsed = Math.floor(a.elapsedS);
  const work = sh.diffAccepted + sh.diffRejected + sh.diffStale;
  return {
    STATUS: status(CODES.devs, '1 ASC(s)', c.nowMs),
    DEVS: [
      {
        ASC: 0,
        Name: 'BTM_SOC',
        ID: 0,
        Enabled: 'Y',
        Status: 'Alive',
        Tenperature: new Real(0, 2),
        'MHS av': new Real(0, 2),
        'MHS 5s': new Real(0, 2),
        'MHS 1m': new Real(0, 2),
        'MHS 5m': new Real(0, 2),
        'MHS 15m': new Real(0, 2),
        Accepted: sh.accepted,
        Rejected: sh.rejected,
        'Hardware Errors': a.hwErrors,
        Utility: new Real(elapsed > 0 ? (60 * sh.accepted) / elapsed : 0, 2),
        'Last Share Pool': 0,
        // An epoch value in a difficulty field, as the S19 fixture has it (spec §3.2 `devs`).
        'Last Share Time': a.lastShareMs === null ? 0 : Math.floor(a.lastShareMs / 1000),
        'Total MH': new Real(a.totalHashes / 1e6, 4),
        'Diff1 Work': Math.floor(a.totalHashes / 2 ** 32),
        'Difficulty Accepted': new Real(sh.diffAccepted, 8),
        'Difficulty Rejected': new Real(sh.diffRejected, 8),
        'Last Share Difficulty': new Real(a.lastShareMs === null ? 0 : Math.floor(a.lastShareMs / 1000), 8),
        'Last Valid Work': Math.floor(c.nowMs / 1000),
        'Device Hardware%': pct(a.hwErrors, a.hwErrors + a.totalHashes / 2 ** 32),
        'Device Rejected%': pct(sh.diffRejected, work),
        'Device Elapsed': elapsed,
      },
    ],
    id: 1,
  };
}

/** `pools` → POOLS[0] (index from 0 on Antminer), `Diff` as a suffix string, `Last Share Time` "h:mm:ss". */
export function poolsReply(c: ReplyContext): Json {
  const a = c.asic;
  const sh = a.shares;
  const cfg = c.rig.pool.config;
  const work = sh.diffAccepted + sh.diffRejected + sh.diffStale;
  const sinceShare = a.lastShareMs === null ? 0 : (c.nowMs - a.lastShareMs) / 1000;
  const getworks = sh.accepted + sh.rejected + sh.stale + Math.floor(a.elapsedS / 30);
  return {
    STATUS: status(CODES.pools, '1 Pool(s)', c.nowMs),
    POOLS: [
      {
        POOL: 0,
        URL: cfg.url,
        Status: 'Alive',
        Priority: 0,
        Quota: 1,
        'Long Poll': 'N',
        Getworks: getworks,
        Accepted: sh.accepted,
        Rejected: sh.rejected,
        Discarded: getworks * 1100,
        Stale: sh.stale,
        'Get Failures': 0,
        'Remote Failures': 0,
        User: `sim.${c.rig.name}`,
        'Last Share Time': a.lastShareMs === null ? '0' : hms(sinceShare),
        Diff: suffixString(cfg.difficulty),
        'Diff1 Shares': Math.floor(a.totalHashes / 2 ** 32),
        'Proxy Type': '',
        Proxy: '',
        'Difficulty Accepted': new Real(sh.diffAccepted, 8),
        'Difficulty Rejected': new Real(sh.diffRejected, 8),
        'Difficulty Stale': new Real(sh.diffStale, 8),
        'Last Share Difficulty': new Real(a.lastShareMs === null ? 0 : cfg.difficulty, 8),
        'Has Stratum': true,
        'Stratum Active': true,
        'Stratum URL': cfg.url.replace(/^stratum\+tcp:\/\//, '').replace(/:\d+$/, ''),
        'Has GBT': false,
        'Best Share': a.bestShare,
        'Pool Rejected%': pct(sh.diffRejected, work),
        'Pool Stale%%': pct(sh.diffStale, work), // double %% as the S19 prints it (spec §3.1)
      },
    ],
    id: 1,
  };
}

/** `version` → VERSION[0]. */
export function versionReply(c: ReplyContext): Json {
  const p = c.asic.profile;
  return {
    STATUS: status(CODES.version, 'CGMiner versions', c.nowMs),
    VERSION: [
      {
        BMMiner: BMMINER_VERSION,
        API: API_VERSION,
        Miner: p.minerVersion,
        CompileTime: p.compileTime,
        Type: p.model,
      },
    ],
    id: 1,
  };
}

const BUILDERS: Readonly<Record<string, (c: ReplyContext) => Json>> = {
  summary: summaryReply,
  stats: statsReply,
  devs: devsReply,
  pools: poolsReply,
  version: versionReply,
};

/** The commands this dialect answers. */
export const CGMINER_COMMANDS = Object.keys(BUILDERS);

/** Error reply for an unknown command (cgminer code 14) or unparseable request (23). */
export function errorReply(kind: 'invalid' | 'invalidJson', nowMs: number): Json {
  const msg = kind === 'invalid' ? 'Invalid command' : 'Invalid JSON';
  return { STATUS: status(CODES[kind], msg, nowMs, 'E'), id: 1 };
}

/**
 * The reply object for a request `command` (and ignored `parameter`). Joined read commands
 * (`summary+pools`) answer `{summary: [reply], pools: [reply], id: 1}` as cgminer does; any unknown
 * part makes the whole request invalid.
 */
export function replyFor(command: string, c: ReplyContext): Json {
  const parts = command.split('+').map((s) => s.trim());
  if (parts.some((p) => !(p in BUILDERS))) return errorReply('invalid', c.nowMs);
  if (parts.length === 1) return BUILDERS[parts[0]](c);
  const joined: { [key: string]: Json } = {};
  for (const p of parts) joined[p] = [BUILDERS[p](c)];
  joined.id = 1;
  return joined;
}
