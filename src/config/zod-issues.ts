// Turns zod's validation issues into key-path problems worded for people: what was expected (from
// the schema), what the file holds, and for an unknown key or value the closest known spelling.

import type { z } from 'zod';
import { closestName } from './closest.ts';
import type { PathProblem } from './env.ts';
import { describeValue, expectedOf, type JsonSchema, knownKeys, schemaAt } from './explain.ts';
import type { KeyPath } from './yaml-source.ts';

type Issue = z.core.$ZodIssue;

function suggestion(word: unknown, known: readonly unknown[]): string {
  if (typeof word !== 'string') return '';
  const names = known.filter((k): k is string => typeof k === 'string');
  const near = closestName(word, names);
  return near === null ? '' : `; did you mean "${near}"?`;
}

function expectation(issue: Issue, schema: JsonSchema | null): string {
  if (issue.message.startsWith('expected ')) return issue.message.slice('expected '.length);
  const fromSchema = schema === null ? null : expectedOf(schema);
  if (fromSchema !== null) return fromSchema;
  if (issue.code === 'invalid_type') return String(issue.expected);
  return issue.message;
}

function convert(issue: Issue, root: JsonSchema, base: KeyPath, out: PathProblem[]): void {
  const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const path = [...base, ...rel];
  const schema = schemaAt(root, rel);
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema);
      for (const key of issue.keys) {
        const near = closestName(key, known);
        const hint =
          near !== null
            ? `; did you mean "${near}"?`
            : known.length > 0
              ? `; known keys: ${known.join(', ')}`
              : '';
        out.push({ path: [...path, key], atKey: true, message: `unknown key "${key}"${hint}` });
      }
      return;
    }
    case 'invalid_union': {
      // A branch that took the value's shape but failed inside it says more than "invalid input";
      // for a word, the branch of named values (it suggests the closest one).
      const inner =
        issue.errors.find(
          (branch) =>
            branch.length > 0 &&
            branch.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys' || i.code === 'custom'),
        ) ??
        (typeof input === 'string'
          ? issue.errors.find((b) => b.length === 1 && b[0].code === 'invalid_value')
          : undefined);
      if (inner !== undefined) {
        for (const i of inner) convert({ ...i, path: [...issue.path, ...i.path] } as Issue, root, base, out);
        return;
      }
      out.push({ path, message: `expected ${expectation(issue, schema)}, got ${describeValue(input)}` });
      return;
    }
    case 'invalid_key': {
      const nested = issue.issues[0];
      const why = nested?.message.startsWith('expected ') ? `: ${nested.message}` : '';
      out.push({ path, atKey: true, message: `bad key ${describeValue(rel.at(-1) ?? input)}${why}` });
      return;
    }
    case 'invalid_value':
      out.push({
        path,
        message: `expected ${expectation(issue, schema)}, got ${describeValue(input)}${suggestion(input, issue.values)}`,
      });
      return;
    case 'custom':
      out.push({ path, message: issue.message });
      return;
    case 'invalid_type':
      if (input === undefined) {
        out.push({ path, message: `missing required key; expected ${expectation(issue, schema)}` });
        return;
      }
      out.push({ path, message: `expected ${expectation(issue, schema)}, got ${describeValue(input)}` });
      return;
    default:
      out.push({ path, message: `expected ${expectation(issue, schema)}, got ${describeValue(input)}` });
  }
}

/**
 * Problems for the issues of one safeParse. `root` is the JSON Schema of the schema that was
 * parsed, `base` the key path of the parsed value inside the file.
 */
export function problemsOf(issues: readonly Issue[], root: JsonSchema, base: KeyPath = []): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) convert(issue, root, base, out);
  return out;
}
