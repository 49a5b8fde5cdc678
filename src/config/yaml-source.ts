// Reads a YAML text into plain data while keeping its node tree, so any key path found wrong later
// (a zod issue, a duplicate, a missing variable) can be turned back into a line and column.

import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { ConfigIssue } from './config-error.ts';

/** A key path into the parsed data: map keys and list indexes. */
export type KeyPath = readonly (string | number)[];

/** A parsed YAML file: its data (null for an empty file) and what is needed to place a path. */
export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Most aliases expanded when building the data (guards against "billion laughs" files). */
const MAX_ALIAS_COUNT = 100;

/** Parses `text`; returns the source, or the YAML syntax issues (each with its line and column). */
export function readYaml(text: string, file: string): YamlSource | { readonly issues: ConfigIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err) => {
      const pos = lines.linePos(err.pos[0]);
      const message = err.message.split('\n')[0].replace(/\s*at line \d+, column \d+:?\s*$/, '');
      return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${message}` };
    });
    return { issues };
  }
  try {
    const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { file, data: data ?? null, doc, lines };
  } catch (err) {
    // toJS throws ReferenceError for an alias bomb or an alias to an unknown anchor; report it as a
    // problem of the file rather than crash.
    const message = err instanceof Error ? err.message : String(err);
    return { issues: [{ file, line: 1, column: 1, path: '', message: `YAML: ${message}` }] };
  }
}

function keyMatches(key: unknown, seg: string | number): boolean {
  const value = isScalar(key) ? key.value : key;
  return value !== null && value !== undefined && String(value) === String(seg);
}

/**
 * Line and column of `path`: the value's node, or with `target: 'key'` the key naming it. A path
 * that leaves the tree (a missing key) lands on the deepest node that exists.
 */
export function locate(
  source: YamlSource,
  path: KeyPath,
  target: 'value' | 'key' = 'value',
): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let place: Node | null = isNodeWithRange(node) ? node : null;
  for (const [i, seg] of path.entries()) {
    if (isAlias(node)) node = node.resolve(source.doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
      if (pair === undefined) break;
      const isLast = i === path.length - 1;
      if ((isLast && target === 'key') || !isNodeWithRange(pair.value) || isEmptyScalar(pair.value)) {
        // The key itself, or `key:` with no value written: point at the key.
        if (isNodeWithRange(pair.key)) place = pair.key;
        break;
      }
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (!isNodeWithRange(next)) break;
    node = next;
    place = next;
  }
  const offset = place?.range?.[0] ?? 0;
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isEmptyScalar(x: Node): boolean {
  return isScalar(x) && x.range !== undefined && x.range !== null && x.range[0] === x.range[1];
}

function isNodeWithRange(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x && Array.isArray((x as Node).range);
}

/** `rigs[0].sources[1].port`; keys that are not plain names are quoted: `labels["a b"]`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
