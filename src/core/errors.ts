// The one error base class of rigtune: a stable code, the standard `cause`, and a `where` record.
// Callers branch on `code` (listed in docs/errors.md, checked by a test), never on message text.

/** Every error code rigtune raises. Keep in sync with docs/errors.md (a test compares them). */
export const ERROR_CODES = {
  RT_INPUT_NOT_FOUND: 'An input file does not exist or cannot be read.',
  RT_INPUT_FORMAT: 'An input file is in a format rigtune cannot read.',
  RT_INPUT_PARSE: 'A line or record of an input file cannot be parsed.',
  RT_INPUT_COLUMN: 'A column is missing, unknown or of the wrong type.',
  RT_INPUT_TIME: 'The time column is missing, unparseable or not increasing.',
  RT_KERNEL_BITS: 'A bit window holds a value other than 0 or 1.',
  RT_KERNEL_ARGUMENT: 'A kernel function was called with an argument outside its domain.',
  RT_OUTPUT_WRITE: 'An output file could not be written.',
  RT_CLI_USAGE: 'A command-line argument is missing or invalid.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where an error happened: whatever of these the raiser knows. Lines and columns are 1-based. */
export interface ErrorWhere {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly rig?: string;
  readonly device?: string;
  readonly command?: string;
  readonly offset?: number;
}

export class RigtuneError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorWhere;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RigtuneError';
    this.code = code;
    this.where = where;
  }

  /** `file:line:column: field: message [code]`, the form printed by the CLI. */
  describe(): string {
    const w = this.where;
    const place = [w.file, w.line, w.column].filter((p) => p !== undefined).join(':');
    const parts = [place, w.field ? `field '${w.field}'` : '', this.message].filter((p) => p !== '');
    return `${parts.join(': ')} [${this.code}]`;
  }
}

/** True when `err` is a RigtuneError, optionally with the given code. */
export function isRigtuneError(err: unknown, code?: ErrorCode): err is RigtuneError {
  return err instanceof RigtuneError && (code === undefined || err.code === code);
}
