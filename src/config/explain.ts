// Plain-words descriptions of what a schema expects and what the file holds, read from the zod
// schemas' JSON Schema form: "an integer 1..65535", "one of \"auto\", \"antminer\"", got "80a".

/** The subset of JSON Schema (as zod's toJSONSchema writes it) read here. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
}

function branches(s: JsonSchema): readonly JsonSchema[] | undefined {
  return s.anyOf ?? s.oneOf;
}

function stepInto(s: JsonSchema, seg: string | number): JsonSchema | null {
  const alternatives = branches(s);
  if (alternatives !== undefined) {
    for (const b of alternatives) {
      const found = stepInto(b, seg);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof seg === 'number') return s.items ?? null;
  const prop = s.properties?.[seg];
  if (prop !== undefined) return prop;
  return typeof s.additionalProperties === 'object' ? s.additionalProperties : null;
}

/** The schema of the value at `path` below `root`, or null when the path leaves the schema. */
export function schemaAt(root: JsonSchema, path: readonly (string | number)[]): JsonSchema | null {
  let node: JsonSchema | null = root;
  for (const seg of path) {
    if (node === null) return null;
    node = stepInto(node, seg);
  }
  return node;
}

/** Keys a mapping schema knows (its properties, across union branches), in schema order. */
export function knownKeys(s: JsonSchema | null): string[] {
  if (s === null) return [];
  const alternatives = branches(s);
  if (alternatives !== undefined) return [...new Set(alternatives.flatMap(knownKeys))];
  return Object.keys(s.properties ?? {});
}

const HUGE = Number.MAX_SAFE_INTEGER;

function range(s: JsonSchema): string {
  const lo = s.exclusiveMinimum ?? s.minimum;
  const hi = s.exclusiveMaximum ?? s.maximum;
  const hasLo = lo !== undefined && Math.abs(lo) < HUGE;
  const hasHi = hi !== undefined && Math.abs(hi) < HUGE;
  const loOpen = s.exclusiveMinimum !== undefined;
  const hiOpen = s.exclusiveMaximum !== undefined;
  if (hasLo && hasHi) {
    if (!loOpen && !hiOpen) return ` ${lo}..${hi}`;
    return ` in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  }
  if (hasLo) return loOpen ? ` > ${lo}` : ` ≥ ${lo}`;
  if (hasHi) return hiOpen ? ` < ${hi}` : ` ≤ ${hi}`;
  return '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeType(type: string, s: JsonSchema): string {
  switch (type) {
    case 'integer':
      return `an integer${range(s)}`;
    case 'number':
      return `a number${range(s)}`;
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const of = s.items !== undefined ? expectedOf(s.items) : null;
      const base =
        of !== null && s.items?.enum === undefined ? `a list of ${of.replace(/^an? /, '')}s` : 'a list';
      return s.minItems !== undefined && s.minItems > 0
        ? `${base} with at least ${plural(s.minItems, 'item')}`
        : base;
    }
    case 'object':
      return 'a mapping';
    case 'string': {
      if (s.format === 'uri') return 'a URL';
      if (s.pattern !== undefined) return `a string matching ${s.pattern}`;
      if (s.minLength !== undefined && s.minLength > 0 && s.maxLength !== undefined)
        return `a string of ${s.minLength}..${s.maxLength} characters`;
      if (s.maxLength !== undefined) return `a string of at most ${plural(s.maxLength, 'character')}`;
      if (s.minLength === 1) return 'a non-empty string';
      if (s.minLength !== undefined && s.minLength > 1)
        return `a string of at least ${s.minLength} characters`;
      return 'a string';
    }
    default:
      return type;
  }
}

/** What `s` accepts, in words (null when the schema says nothing checkable). */
export function expectedOf(s: JsonSchema): string | null {
  const alternatives = branches(s);
  if (alternatives !== undefined) {
    const parts = alternatives.map(expectedOf).filter((p): p is string => p !== null);
    return parts.length > 0 ? parts.join(' or ') : null;
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum !== undefined) {
    const names = s.enum.map((v) => JSON.stringify(v));
    return names.length === 1 ? names[0] : `one of ${names.join(', ')}`;
  }
  if (s.type === undefined) return null;
  const types = typeof s.type === 'string' ? [s.type] : s.type;
  return types.map((t) => describeType(t, s)).join(' or ');
}

/** How a value read from the file is shown in a message: strings quoted, containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${plural(value.length, 'item')}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
