// Applies a dialect's field table to the replies of one poll: finds rows and keys, converts units,
// fills the rig total and per-board snapshots. Rules run in order; the first non-null value wins.

import { isCounterField, type NumericField } from '../../core/snapshot.ts';
import { type MapResultBuilder, RIG_TOTAL_DEVICE } from '../common/index.ts';
import type {
  Dialect,
  FromBoardsRule,
  IndexedBoardRule,
  KeySpec,
  LabelledBoardRule,
  ListBoardRule,
  RawRule,
  Reduce,
  SectionRef,
  TotalRule,
} from './dialects/types.ts';
import { chipStatusCounts, dashMax, type QuirkLog, toNumber } from './values.ts';

/** Replies of one poll, by command (already status-checked). */
export type Replies = Readonly<Record<string, unknown>>;
type Row = Record<string, unknown>;

/** Hash-rate unit prefixes of `rate_unit` (`"GH"`, `"GH/s"`, `"TH"`…) → factor to H/s. */
const RATE_PREFIX: Readonly<Record<string, number>> = { H: 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

interface Ctx {
  readonly b: MapResultBuilder;
  readonly quirks: QuirkLog;
  readonly warnings: Set<string>;
  /** Board devices seen so far, in order. */
  readonly boards: Set<string>;
}

type IndexedFound = { readonly row: Row; readonly boards: readonly number[] } | null;

function addBoard(ctx: Ctx, device: string): void {
  ctx.boards.add(device);
  if (!ctx.b.has(device)) ctx.b.set(device, {});
}

function isRow(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The record rows of a section (`replies.stats.STATS`), or none. */
export function rowsOf(replies: Replies, ref: SectionRef): Row[] {
  const reply = replies[ref.command];
  if (!isRow(reply)) return [];
  const section = Object.hasOwn(reply, ref.section) ? reply[ref.section] : undefined;
  if (Array.isArray(section)) return section.filter(isRow);
  return isRow(section) ? [section] : [];
}

function specOf(k: KeySpec): { key: string; scale?: number; drift?: true } {
  return typeof k === 'string' ? { key: k } : k;
}

function patternOf(key: string): RegExp {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{n\\}', '(\\d+)');
  return new RegExp(`^${escaped}$`);
}

/** Board numbers `n` for which `row` has the key `pattern` (with `{n}`). */
function indexesOf(row: Row, pattern: string): number[] {
  const re = patternOf(pattern);
  const out: number[] = [];
  for (const k of Object.keys(row)) {
    const m = re.exec(k);
    if (m?.[1] !== undefined) out.push(Number(m[1]));
  }
  return out;
}

function rateUnitFactor(row: Row, ctx: Ctx): number | null {
  const unit = row.rate_unit;
  if (unit === undefined) return 1e9; // bmminer without `rate_unit` reports GH/s
  const m = typeof unit === 'string' ? /^\s*([HKMGTP])(H(\/s)?)?\s*$/i.exec(unit) : null;
  const factor = m ? RATE_PREFIX[m[1].toUpperCase()] : undefined;
  if (factor === undefined)
    ctx.warnings.add(`Unknown rate_unit ${JSON.stringify(unit)}; per-board hash rates left null`);
  return factor ?? null;
}

type FieldLike = Pick<TotalRule, 'keys' | 'scale' | 'zeroIsNull' | 'parse'> & {
  readonly field?: NumericField;
};

/** The value of one key of `row` in snapshot units, or null (missing, unparseable, 0 meaning none). */
function readKey(rule: FieldLike, spec: KeySpec, row: Row, n: number | null, ctx: Ctx): number | null {
  const s = specOf(spec);
  const key = n === null ? s.key : s.key.replace('{n}', String(n));
  if (!Object.hasOwn(row, key)) return null;
  const raw = row[key];
  const v = rule.parse === 'dash-max' ? dashMax(raw) : toNumber(raw, ctx.quirks);
  if (v === null || (rule.zeroIsNull && v === 0)) return null;
  // A negative counter is a firmware bug, not a reset (resets are telemetry's to detect): unknown.
  if (v < 0 && rule.field !== undefined && isCounterField(rule.field)) return null;
  const scale = s.scale ?? (rule.scale === 'rate-unit' ? rateUnitFactor(row, ctx) : (rule.scale ?? 1));
  if (scale === null) return null;
  if (s.drift) ctx.quirks.add('key-spelling-drift');
  return v * scale;
}

/** The first non-null of `rule.keys` in `row`. */
function readFirst(rule: FieldLike, row: Row, n: number | null, ctx: Ctx): number | null {
  for (const k of rule.keys) {
    const v = readKey(rule, k, row, n, ctx);
    if (v !== null) return v;
  }
  return null;
}

function reduce(values: readonly number[], how: Reduce): number | null {
  if (values.length === 0) return null;
  if (how === 'max') return Math.max(...values);
  if (how === 'min') return Math.min(...values);
  if (how === 'sum') return values.reduce((a, b) => a + b, 0);
  return values[0];
}

/** Sets `field` of `device` unless an earlier rule already gave it a value. */
function fill(ctx: Ctx, device: string, field: NumericField, value: number | null): void {
  if (value === null) return;
  const current = ctx.b.get(device)?.[field];
  if (current === null || current === undefined) ctx.b.set(device, { [field]: value });
}

function applyTotal(rule: TotalRule, replies: Replies, ctx: Ctx): void {
  const rows = rowsOf(replies, rule);
  const how = rule.reduce ?? 'first';
  if (how === 'first') {
    for (const row of rows) {
      const v = readFirst(rule, row, null, ctx);
      if (v !== null) {
        fill(ctx, RIG_TOTAL_DEVICE, rule.field, v);
        return;
      }
    }
    return;
  }
  const values: number[] = [];
  for (const row of rows)
    for (const k of rule.keys) {
      const key = specOf(k).key;
      const ns = key.includes('{n}') ? indexesOf(row, key) : [null];
      for (const n of ns) {
        const v = readKey(rule, k, row, n, ctx);
        if (v !== null) values.push(v);
      }
    }
  fill(ctx, RIG_TOTAL_DEVICE, rule.field, reduce(values, how));
}

/** Board numbers present in an Antminer-style `stats` row, and that row. */
export function indexedBoards(dialect: Dialect, replies: Replies): IndexedFound {
  const ib = dialect.indexedBoards;
  if (ib === undefined) return null;
  for (const row of rowsOf(replies, ib)) {
    const found = new Set<number>();
    for (const probe of ib.presence)
      for (const n of indexesOf(row, probe)) {
        const v = row[probe.replace('{n}', String(n))];
        const present = typeof v === 'number' ? v > 0 : typeof v === 'string' && v.trim() !== '';
        if (present) found.add(n);
      }
    if (ib.presence.some((p) => indexesOf(row, p).length > 0))
      return { row, boards: [...found].sort((a, b) => a - b) };
  }
  return null;
}

function applyIndexed(rule: IndexedBoardRule, found: IndexedFound, ctx: Ctx): void {
  if (found === null) return;
  for (const n of found.boards) fill(ctx, `board${n}`, rule.field, readFirst(rule, found.row, n, ctx));
}

function boardOf(row: Row, idKeys: readonly string[], offset: number, ctx: Ctx): string | null {
  for (const k of idKeys) {
    const id = Object.hasOwn(row, k) ? toNumber(row[k], ctx.quirks) : null;
    if (id !== null && Number.isInteger(id)) return `board${id + offset}`;
  }
  return null;
}

function applyList(rule: ListBoardRule, replies: Replies, ctx: Ctx): void {
  for (const row of rowsOf(replies, rule)) {
    const device = boardOf(row, rule.idKeys, rule.idOffset ?? 0, ctx);
    if (device === null) continue;
    addBoard(ctx, device);
    fill(ctx, device, rule.field, readFirst(rule, row, null, ctx));
  }
}

function applyLabelled(rule: LabelledBoardRule, replies: Replies, ctx: Ctx): void {
  const labels = rowsOf(replies, { command: rule.command, section: rule.labelSection })[0] ?? {};
  const columns = Object.entries(labels)
    .filter(([, label]) => typeof label === 'string' && rule.label.test(label))
    .map(([column]) => column);
  if (columns.length === 0) return;
  for (const row of rowsOf(replies, rule)) {
    const device = boardOf(row, rule.idKeys, rule.idOffset ?? 0, ctx);
    if (device === null) continue;
    addBoard(ctx, device);
    const values = columns
      .map((c) => readKey({ keys: [c], zeroIsNull: rule.zeroIsNull }, c, row, null, ctx))
      .filter((v): v is number => v !== null);
    fill(ctx, device, rule.field, reduce(values, rule.reduce));
  }
}

function rawName(rule: RawRule, key: string): string {
  return `${rule.command}.${key.replace('{n}', '').replace(/_$/, '')}`;
}

function emitRaw(ctx: Ctx, device: string, rule: RawRule, name: string, value: unknown): void {
  if (rule.parse === 'chip-status') {
    const counts = chipStatusCounts(value);
    ctx.b.raw(device, `${name}.ok`, counts?.ok);
    ctx.b.raw(device, `${name}.bad`, counts?.bad);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null)
    ctx.b.raw(device, name, value);
}

/** The first alias of `rule` present in `row` (with `{n}` = `n`), recording drift. */
function rawValue(rule: RawRule, row: Row, n: number | null, ctx: Ctx): { value: unknown } | null {
  for (const k of rule.keys) {
    const s = specOf(k);
    const key = n === null ? s.key : s.key.replace('{n}', String(n));
    if (!Object.hasOwn(row, key)) continue;
    if (s.drift) ctx.quirks.add('key-spelling-drift');
    return { value: row[key] };
  }
  return null;
}

/** One raw field (its keys are spellings of the same field), for the rig or per board. */
function applyRaw(rule: RawRule, replies: Replies, found: IndexedFound, ctx: Ctx): void {
  const canonical = rule.keys.map(specOf).find((x) => !x.drift)?.key ?? specOf(rule.keys[0]).key;
  const name = rawName(rule, canonical);
  if (rule.device === 'board' && rule.idKeys === undefined) {
    for (const n of found?.boards ?? []) {
      const hit = found === null ? null : rawValue(rule, found.row, n, ctx);
      if (hit !== null) emitRaw(ctx, `board${n}`, rule, name, hit.value);
    }
    return;
  }
  for (const row of rowsOf(replies, rule)) {
    if (rule.device === 'board') {
      const device = boardOf(row, rule.idKeys ?? [], rule.idOffset ?? 0, ctx);
      const hit = device === null ? null : rawValue(rule, row, null, ctx);
      if (device !== null && hit !== null) emitRaw(ctx, device, rule, name, hit.value);
      continue;
    }
    if (canonical.includes('{n}')) {
      for (const n of indexesOf(row, canonical))
        emitRaw(
          ctx,
          RIG_TOTAL_DEVICE,
          rule,
          `${rule.command}.${canonical.replace('{n}', String(n))}`,
          row[canonical.replace('{n}', String(n))],
        );
      return;
    }
    const hit = rawValue(rule, row, null, ctx);
    if (hit !== null) {
      emitRaw(ctx, RIG_TOTAL_DEVICE, rule, name, hit.value);
      return;
    }
  }
}

/** A rig total from the boards where the firmware gives none: 'max', or 'sum' when every board has one. */
function applyFromBoards(rule: FromBoardsRule, ctx: Ctx): void {
  const values = [...ctx.boards].map((d) => ctx.b.get(d)?.[rule.field] ?? null);
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0 || (rule.reduce === 'sum' && known.length < values.length)) return;
  fill(ctx, RIG_TOTAL_DEVICE, rule.field, reduce(known, rule.reduce));
}

/** Fills the builder from `dialect.rules`; boards appear as `board<n>` (the firmware's own number). */
export function applyRules(
  dialect: Dialect,
  replies: Replies,
  b: MapResultBuilder,
  quirks: QuirkLog,
): string[] {
  const ctx: Ctx = { b, quirks, warnings: new Set(), boards: new Set() };
  const found = indexedBoards(dialect, replies);
  for (const n of found?.boards ?? []) addBoard(ctx, `board${n}`);
  for (const rule of dialect.rules) {
    if (rule.kind === 'total') applyTotal(rule, replies, ctx);
    else if (rule.kind === 'indexed-board') applyIndexed(rule, found, ctx);
    else if (rule.kind === 'list-board') applyList(rule, replies, ctx);
    else if (rule.kind === 'labelled-board') applyLabelled(rule, replies, ctx);
    else if (rule.kind === 'raw') applyRaw(rule, replies, found, ctx);
  }
  for (const rule of dialect.rules) if (rule.kind === 'from-boards') applyFromBoards(rule, ctx);
  return [...ctx.warnings];
}
