// The declarative field table of a cgminer dialect (pyasic's lesson): each rule says which command
// and section feed which snapshot field, with which wire keys and unit; the poller derives its commands.

import type { NumericField } from '../../../core/snapshot.ts';

/** Firmware families this source knows; 'cgminer' is the generic fallback. */
export const DIALECT_NAMES = ['antminer', 'whatsminer', 'braiins', 'luxos', 'cgminer'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/**
 * A wire key. A plain string is the canonical spelling. `scale` converts the value to the snapshot
 * unit (e.g. 1e9 for GH/s → H/s) and overrides the rule's scale; `drift: true` marks a misspelling
 * seen in firmware (`total_rate`, `Tenperature`) and records the `key-spelling-drift` quirk when used.
 * `{n}` in a key stands for the board number (`chain_rate{n}`).
 */
export type KeySpec = string | { readonly key: string; readonly scale?: number; readonly drift?: true };

/** Where a reply keeps its rows: the command and the section array (`SUMMARY`, `STATS`, `DEVS`…). */
export interface SectionRef {
  readonly command: string;
  readonly section: string;
}

/** How several values of a rule are combined. */
export type Reduce = 'first' | 'max' | 'min' | 'sum';

/** How a wire value is read. */
export type Parse =
  /** A number, or a numeric string (recorded as `number-as-string`). */
  | 'number'
  /** A dash-joined list of sensor values (`"78-50-69-70"`): the largest non-zero one. */
  | 'dash-max';

interface FieldRule extends SectionRef {
  readonly field: NumericField;
  /** Wire keys in order of preference. */
  readonly keys: readonly KeySpec[];
  /** Factor to the snapshot unit; default 1. 'rate-unit' reads the section's `rate_unit` (GH default). */
  readonly scale?: number | 'rate-unit';
  /** The firmware writes 0 for "no sensor": 0 becomes null. */
  readonly zeroIsNull?: boolean;
  readonly parse?: Parse;
}

/** A rig-total field from the rows of one section. 'first': first row and key found; others: over all. */
export interface TotalRule extends FieldRule {
  readonly kind: 'total';
  readonly reduce?: Reduce;
}

/** A per-board field from `…{n}` keys of one row (Antminer `stats`: `chain_rate1..n`). */
export interface IndexedBoardRule extends FieldRule {
  readonly kind: 'indexed-board';
}

/** A per-board field from one row per board (`devs`, `edevs`, `temps`), the board id from `idKeys`. */
export interface ListBoardRule extends FieldRule {
  readonly kind: 'list-board';
  readonly idKeys: readonly string[];
  /** Added to the wire id to get the board number (LuxOS `ASC` 0 ↔ chain 1: offset 1). */
  readonly idOffset?: number;
  readonly reduce?: Reduce;
}

/**
 * A per-board field from sensor columns named in a label row (LuxOS `temps`: `METADATA` says
 * `TopRight` is "Board Intake (top)"); the columns whose label matches `label` are reduced.
 */
export interface LabelledBoardRule extends SectionRef {
  readonly kind: 'labelled-board';
  readonly field: NumericField;
  readonly labelSection: string;
  readonly label: RegExp;
  readonly idKeys: readonly string[];
  readonly idOffset?: number;
  readonly reduce: 'max' | 'min';
  readonly zeroIsNull?: boolean;
}

/** A rig-total field computed from the boards' values when the firmware gives no total. */
export interface FromBoardsRule {
  readonly kind: 'from-boards';
  readonly field: NumericField;
  readonly reduce: 'max' | 'sum';
}

/** A value kept as a raw field (`<command>.<key>`), never a snapshot field. */
export interface RawRule extends SectionRef {
  readonly kind: 'raw';
  readonly keys: readonly KeySpec[];
  /** 'board': one raw value per board from `…{n}` keys (indexed) or rows (with `idKeys`). */
  readonly device?: 'total' | 'board';
  readonly idKeys?: readonly string[];
  readonly idOffset?: number;
  /** 'chip-status': an Antminer `chain_acs` string, kept as `<name>.ok` / `<name>.bad` chip counts. */
  readonly parse?: 'chip-status';
}

export type Rule =
  | TotalRule
  | IndexedBoardRule
  | ListBoardRule
  | LabelledBoardRule
  | FromBoardsRule
  | RawRule;

/** Which boards exist, for dialects with `…{n}` keys: a board is present when any probe says so. */
export interface IndexedBoards extends SectionRef {
  /** Keys with `{n}`; a board exists when one of them is a positive number or a non-empty string. */
  readonly presence: readonly string[];
}

/** One firmware family: how to read it. */
export interface Dialect {
  readonly name: DialectName;
  /** What the README and logs call it. */
  readonly label: string;
  /** Commands that must answer for a poll to count (others may fail: their fields stay null). */
  readonly required: readonly string[];
  /** Accepts `a+b` joined commands (falls back to one per connection when refused). */
  readonly multiCommand: boolean;
  readonly rules: readonly Rule[];
  /** Board discovery from indexed keys (Antminer-style `stats`); absent when boards come from rows. */
  readonly indexedBoards?: IndexedBoards;
}

/**
 * The commands a poll needs: every command a rule names, required ones first, no duplicates; plus
 * `pools` when asked for (raw fields only: active pool, last-share age).
 */
export function commandsOf(dialect: Dialect, withPools: boolean): string[] {
  const named = dialect.rules.flatMap((r) => ('command' in r ? [r.command] : []));
  if (dialect.indexedBoards) named.push(dialect.indexedBoards.command);
  if (withPools) named.push('pools');
  return [...new Set([...dialect.required, ...named])];
}
