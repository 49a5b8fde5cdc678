// The error a bad configuration file raises: every problem found (not just the first), each with
// file, line, column, the key path and what was expected, printed one per line like a compiler.

import { RigtuneError } from '../core/errors.ts';

/** One problem in a configuration file. Lines and columns are 1-based. */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Key path as written in the YAML, e.g. `rigs[0].sources[1].port`; '' for the whole file. */
  readonly path: string;
  /** What is wrong and what was expected, e.g. `expected an integer 1..65535, got "80a"`. */
  readonly message: string;
}

/** Issues printed in a message; the rest are counted ("… and 3 more"). */
export const MAX_PRINTED_ISSUES = 20;

/** `file:line:column: path: message` (the path is left out for whole-file problems). */
export function formatIssue(issue: ConfigIssue): string {
  const place = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${place}: ${issue.message}` : `${place}: ${issue.path}: ${issue.message}`;
}

/** Issues in file order (line, then column, then path). */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

function messageOf(file: string, issues: readonly ConfigIssue[]): string {
  if (issues.length === 1) return formatIssue(issues[0]);
  const shown = issues.slice(0, MAX_PRINTED_ISSUES).map((i) => `  ${formatIssue(i)}`);
  const more = issues.length - shown.length;
  if (more > 0) shown.push(`  … and ${more} more`);
  return [`${file}: ${issues.length} problems:`, ...shown].join('\n');
}

/**
 * RT_CONFIG_INVALID with every issue found in one file (at least one), sorted by position. `where`
 * holds the file and the first issue's line, column and path; `message` lists up to
 * {@link MAX_PRINTED_ISSUES} of them, one per line.
 */
export class ConfigError extends RigtuneError {
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const sorted = sortIssues(issues);
    const first = sorted[0];
    super(
      'RT_CONFIG_INVALID',
      messageOf(file, sorted),
      first === undefined
        ? { file }
        : {
            file,
            line: first.line,
            column: first.column,
            ...(first.path === '' ? {} : { field: first.path }),
          },
      options,
    );
    this.name = 'ConfigError';
    this.issues = Object.freeze(sorted);
  }

  /** The issue lines followed by the code; the message already names every place. */
  override describe(): string {
    return `${this.message} [${this.code}]`;
  }
}
