// A tiny JSON-path subset for config-driven field mappings: `$.a.b`, `a.b[0].c`, `$["Fan Speed (%)"]`,
// and one `[*]` for per-device arrays. Parsed once at config time; read at poll time without throwing.

/** One step of a path. */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

/** A parsed path. */
export interface JsonPath {
  /** The path as written. */
  readonly text: string;
  readonly steps: readonly PathStep[];
  /** Position of the `[*]` step, or -1 when there is none. */
  readonly wildcardAt: number;
}

/** The outcome of parsing: the path, or why not and where (0-based character offset). */
export type ParseResult =
  | { readonly ok: true; readonly path: JsonPath }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const BARE_KEY = /^[^.[\]'"\s]+/;

function readQuoted(
  text: string,
  at: number,
): { key: string; end: number } | { error: string; offset: number } {
  const quote = text[at];
  let key = '';
  let i = at + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    key += text[i];
    i += 1;
  }
  if (i >= text.length) return { error: `unterminated ${quote}-quoted key`, offset: at };
  return { key, end: i + 1 };
}

/** Parses `text`; never throws. At most one `[*]`; indexes are non-negative integers. */
export function parseJsonPath(text: string): ParseResult {
  const fail = (message: string, offset: number): ParseResult => ({ ok: false, message, offset });
  const steps: PathStep[] = [];
  let i = 0;
  if (text.trim() !== text || text === '') return fail('empty path or surrounding spaces', 0);
  if (text[0] === '$') i = 1;
  else {
    const bare = BARE_KEY.exec(text);
    if (bare === null && text[0] !== '[') return fail(`unexpected '${text[0]}'`, 0);
    if (bare !== null) {
      steps.push({ kind: 'key', key: bare[0] });
      i = bare[0].length;
    }
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const bare = BARE_KEY.exec(text.slice(i + 1));
      if (bare === null) return fail("expected a key after '.'", i + 1);
      steps.push({ kind: 'key', key: bare[0] });
      i += 1 + bare[0].length;
    } else if (c === '[') {
      const inner = text[i + 1];
      if (inner === '*') {
        if (text[i + 2] !== ']') return fail("expected ']' after '[*'", i + 2);
        steps.push({ kind: 'wildcard' });
        i += 3;
      } else if (inner === '"' || inner === "'") {
        const q = readQuoted(text, i + 1);
        if ('error' in q) return fail(q.error, q.offset);
        if (text[q.end] !== ']') return fail("expected ']' after a quoted key", q.end);
        steps.push({ kind: 'key', key: q.key });
        i = q.end + 1;
      } else {
        const m = /^(\d+)\]/.exec(text.slice(i + 1));
        if (m === null) return fail("expected a non-negative index, '*' or a quoted key inside [ ]", i + 1);
        steps.push({ kind: 'index', index: Number(m[1]) });
        i += 1 + m[0].length;
      }
    } else return fail(`unexpected '${c}'`, i);
  }
  const wildcards = steps.filter((s) => s.kind === 'wildcard').length;
  if (wildcards > 1) return fail('at most one [*] per path', text.indexOf('[*]', text.indexOf('[*]') + 1));
  if (steps.length === 0) return fail('the path selects the whole document', 0);
  return { ok: true, path: { text, steps, wildcardAt: steps.findIndex((s) => s.kind === 'wildcard') } };
}

/** What a path read found. `values` is one entry without `[*]`, one per array element with it. */
export interface PathRead {
  /** Read values; undefined where the path (or the part after `[*]`) did not exist. */
  readonly values: readonly unknown[];
  /** Where the walk stopped when the path (before any `[*]`) was missing; else null. */
  readonly missingAt: string | null;
}

function describe(steps: readonly PathStep[]): string {
  const parts = steps.map((s) =>
    s.kind === 'key'
      ? BARE_KEY.exec(s.key)?.[0] === s.key
        ? `.${s.key}`
        : `[${JSON.stringify(s.key)}]`
      : s.kind === 'index'
        ? `[${s.index}]`
        : '[*]',
  );
  return `$${parts.join('')}`;
}

function walk(doc: unknown, steps: readonly PathStep[]): { value: unknown; stoppedAt: number } {
  let value: unknown = doc;
  for (const [n, step] of steps.entries()) {
    if (step.kind === 'key') {
      if (
        typeof value !== 'object' ||
        value === null ||
        Array.isArray(value) ||
        !Object.hasOwn(value, step.key)
      )
        return { value: undefined, stoppedAt: n };
      value = (value as Record<string, unknown>)[step.key];
    } else if (step.kind === 'index') {
      if (!Array.isArray(value) || step.index >= value.length) return { value: undefined, stoppedAt: n };
      value = value[step.index];
    }
  }
  return { value, stoppedAt: -1 };
}

/** Reads `path` in `doc`; never throws. A missing prefix gives no values and a `missingAt`. */
export function readJsonPath(path: JsonPath, doc: unknown): PathRead {
  if (path.wildcardAt < 0) {
    const { value, stoppedAt } = walk(doc, path.steps);
    return {
      values: [value],
      missingAt: stoppedAt < 0 ? null : describe(path.steps.slice(0, stoppedAt + 1)),
    };
  }
  const prefix = path.steps.slice(0, path.wildcardAt);
  const suffix = path.steps.slice(path.wildcardAt + 1);
  const { value: list, stoppedAt } = walk(doc, prefix);
  if (stoppedAt >= 0) return { values: [], missingAt: describe(prefix.slice(0, stoppedAt + 1)) };
  if (!Array.isArray(list)) return { values: [], missingAt: `${describe(prefix)} (not an array)` };
  return { values: list.map((item) => walk(item, suffix).value), missingAt: null };
}
