// Which firmware answers: sniffs `version` (then `stats`, `summary`) replies for the marks each
// dialect leaves — one parser per dialect, the generic one (with a warning) for anything unknown.

import { replyStatus } from '../../protocols/cgminer/index.ts';
import type { DialectName } from './dialects/index.ts';
import { cleanString, type QuirkLog } from './values.ts';

/** What was learned about the miner. */
export interface Identity {
  readonly dialect: DialectName;
  /** e.g. `Antminer S19 Pro`; undefined when the firmware does not say. */
  readonly model?: string;
  /** e.g. `49.0.1.3`, `0.2.0-36c56a9363`, `20201202.22.REL`. */
  readonly firmware?: string;
  /** The reply text that decided (for logs and `sources probe`). */
  readonly evidence: string;
}

type Row = Record<string, unknown>;

function firstRow(reply: unknown, section: string): Row {
  if (typeof reply !== 'object' || reply === null) return {};
  const s = (reply as Row)[section];
  const row = Array.isArray(s) ? s[0] : s;
  return typeof row === 'object' && row !== null && !Array.isArray(row) ? (row as Row) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

const BY_DESCRIPTION: readonly [RegExp, DialectName][] = [
  [/luxminer/i, 'luxos'],
  [/bosminer|boser/i, 'braiins'],
  [/btminer|whatsminer/i, 'whatsminer'],
  [/bmminer/i, 'antminer'],
];

/** The dialect a `VERSION` row names by its keys (`BMMiner`, `BOSminer+`, `LUXminer`…), if any. */
function fromVersionRow(v: Row): Identity | null {
  const type = str(v.Type);
  if (str(v.LUXminer))
    return {
      dialect: 'luxos',
      model: type,
      firmware: str(v.LUXminer),
      evidence: `VERSION.LUXminer ${v.LUXminer}`,
    };
  for (const key of ['BOSminer+', 'BOSminer', 'BOSer']) {
    const fw = str(v[key]);
    if (fw) return { dialect: 'braiins', model: type, firmware: fw, evidence: `VERSION.${key} ${fw}` };
  }
  const miner = str(v.Miner) ?? str(v.miner_version);
  if (str(v.BMMiner))
    return { dialect: 'antminer', model: type, firmware: miner, evidence: `VERSION.BMMiner ${v.BMMiner}` };
  if (str(v.CGMiner) && type !== undefined && /antminer/i.test(type))
    return { dialect: 'antminer', model: type, firmware: miner, evidence: `VERSION.Type ${type}` };
  return null;
}

/**
 * Identifies the firmware from whichever replies are at hand (`version`, `stats`, `summary`), in that
 * order of trust. Unknown firmware → dialect 'cgminer' with the Description as evidence.
 */
export function detectDialect(
  replies: { version?: unknown; stats?: unknown; summary?: unknown },
  quirks: QuirkLog,
): Identity {
  const version = firstRow(replies.version, 'VERSION');
  const byVersion = fromVersionRow(version);
  if (byVersion) return byVersion;
  const statsHead = firstRow(replies.stats, 'STATS');
  const byStats = fromVersionRow(statsHead);
  if (byStats) return byStats;
  const summary = firstRow(replies.summary, 'SUMMARY');
  const whatsminerFw = cleanString(summary['Firmware Version'], quirks) ?? undefined;
  const descriptions = [replies.version, replies.stats, replies.summary]
    .map((r) => replyStatus(r).description)
    .filter((d): d is string => d !== null);
  for (const d of descriptions)
    for (const [re, dialect] of BY_DESCRIPTION)
      if (re.test(d)) {
        const firmware = dialect === 'whatsminer' ? whatsminerFw : d.replace(/^\S+\s*/, '') || undefined;
        return { dialect, model: str(statsHead.Type), firmware, evidence: `Description ${d}` };
      }
  if (whatsminerFw !== undefined || 'Power Mode' in summary || 'Factory GHS' in summary)
    return { dialect: 'whatsminer', firmware: whatsminerFw, evidence: 'SUMMARY has btminer fields' };
  return {
    dialect: 'cgminer',
    model: str(statsHead.Type) ?? str(version.Type),
    firmware: str(version.Miner) ?? str(version.CGMiner),
    evidence: descriptions[0] ? `Description ${descriptions[0]}` : 'no identifying field',
  };
}
