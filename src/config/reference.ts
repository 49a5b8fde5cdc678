// Renders the key reference of docs/config.md from the schemas' own `.describe()` texts and
// defaults, so the documentation cannot drift from what the loader accepts (a test compares them).

import type { z } from 'zod';
import { ACTUATOR_KIND_NAMES, ACTUATOR_KINDS } from './actuator-kinds.ts';
import { RigAutotuneSchema } from './control.ts';
import { expectedOf, type JsonSchema } from './explain.ts';
import { jsonSchemaOf } from './json-schemas.ts';
import { ConfigSchema } from './schema.ts';
import { DEFAULT_THRESHOLDS } from './scorer-settings.ts';
import { SOURCE_KIND_NAMES, SOURCE_KINDS } from './source-kinds.ts';
import { ThresholdsSchema } from './thresholds.ts';

interface Row {
  readonly key: string;
  readonly type: string;
  readonly fallback: string;
  readonly text: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function shownDefault(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

function typeOf(s: JsonSchema): string {
  return (expectedOf(s) ?? 'any').replace(/^an? /, '').replace(/ or an? /g, ' or ');
}

/** `{ env: NAME }`: documented as one key, not as a section. */
function isEnvRef(s: JsonSchema): boolean {
  const keys = Object.keys(s.properties ?? {});
  return s.type === 'object' && keys.length === 1 && keys[0] === 'env';
}

function isSection(s: JsonSchema): boolean {
  return s.type === 'object' && s.properties !== undefined;
}

/** Sections documented once, in the Thresholds table. */
const THRESHOLD_KEYS = new Set(['defaults', 'rigs[].thresholds']);
/** `kind:` mappings checked by kind after the schema (their tables follow the top-level one). */
const KIND_MAPPINGS = new Set(['rigs[].actuator']);

/** Rows for every key under `schema`; `defaults` supplies values the schema itself leaves out. */
function rowsOf(schema: JsonSchema, prefix: string, defaults: unknown, out: Row[]): void {
  const required = new Set(schema.required ?? []);
  const parent = prefix.replace(/\.$/, '');
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`;
    // A key of a mapping described as a whole (e.g. one set-point of `bounds`) points to it.
    const s =
      raw.description === undefined && parent !== ''
        ? { ...raw, description: `One entry of \`${parent}\` (see there).` }
        : raw;
    const own =
      typeof defaults === 'object' && defaults !== null
        ? (defaults as Record<string, unknown>)[key]
        : undefined;
    const item = s.type === 'array' ? s.items : undefined;
    if (isEnvRef(s)) {
      const fallback = required.has(key) ? 'required' : '—';
      out.push({
        key: name,
        type: '`{ env: NAME }`',
        fallback,
        text: s.description ?? 'Environment variable reference.',
      });
    } else if (isSection(s) && THRESHOLD_KEYS.has(name)) {
      out.push({
        key: name,
        type: 'mapping',
        fallback: '—',
        text: `${s.description ?? ''} Keys: see Thresholds.`,
      });
    } else if (isSection(s)) {
      out.push({ key: name, type: 'mapping', fallback: '—', text: s.description ?? '' });
      rowsOf(s, `${name}.`, own, out);
    } else if (item !== undefined && isSection(item)) {
      const fallback = required.has(key)
        ? 'required'
        : s.default !== undefined
          ? shownDefault(s.default)
          : '—';
      out.push({ key: name, type: typeOf(s), fallback, text: s.description ?? '' });
      rowsOf(item, `${name}[].`, undefined, out);
    } else {
      const fallback = required.has(key)
        ? 'required'
        : s.default !== undefined
          ? shownDefault(s.default)
          : own !== undefined
            ? shownDefault(own)
            : '—';
      const type = KIND_MAPPINGS.has(name) ? 'mapping' : typeOf(s);
      out.push({ key: name, type, fallback, text: s.description ?? '' });
    }
  }
}

function table(rows: readonly Row[]): string {
  const lines = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const r of rows)
    lines.push(`| \`${cell(r.key)}\` | ${cell(r.type)} | ${cell(r.fallback)} | ${cell(r.text)} |`);
  return lines.join('\n');
}

function tableOf(schema: z.ZodType, prefix: string, defaults?: unknown): string {
  const rows: Row[] = [];
  rowsOf(jsonSchemaOf(schema), prefix, defaults, rows);
  return table(rows);
}

/**
 * The generated part of docs/config.md: top-level keys, thresholds, each source kind's options, the
 * auto-tune mapping and each actuator kind's options.
 */
export function renderConfigReference(): string {
  const parts = [
    '### Top-level keys',
    '',
    tableOf(ConfigSchema, ''),
    '',
    '### Thresholds (`defaults:` and `rigs[].thresholds:`)',
    '',
    "Every key is optional; the default column is rigtune's built-in value.",
    '',
    tableOf(ThresholdsSchema, '', DEFAULT_THRESHOLDS),
  ];
  for (const kind of SOURCE_KIND_NAMES) {
    parts.push('', `### Source \`kind: ${kind}\``, '', tableOf(SOURCE_KINDS[kind], ''));
  }
  parts.push(
    '',
    '### Auto-tune (`rigs[].autotune:` as a mapping)',
    '',
    'Every key is optional; `autotune: auto` is short for `autotune: {mode: auto}` with these defaults.',
    '',
    tableOf(RigAutotuneSchema, ''),
  );
  for (const kind of ACTUATOR_KIND_NAMES) {
    parts.push('', `### Actuator \`kind: ${kind}\``, '', tableOf(ACTUATOR_KINDS[kind], ''));
  }
  return `${parts.join('\n')}\n`;
}
