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
  RT_SOURCE_CONNECT: 'A source could not connect (refused, unreachable, DNS).',
  RT_SOURCE_TIMEOUT: 'A source did not answer within its timeout.',
  RT_SOURCE_RESET: 'A source closed or reset the connection mid-reply.',
  RT_SOURCE_PROTOCOL: 'A source answered with a reply rigtune cannot decode (garbage, HTML, wrong schema).',
  RT_SOURCE_STATUS: 'A source answered with an error status (API error, HTTP error code).',
  RT_SOURCE_UNSUPPORTED:
    'A source or device does not support what was asked (missing library, unsupported call).',
  RT_CONFIG_INVALID: 'A configuration value is invalid.',
  RT_API_PARAM: 'An HTTP API request parameter is missing, unknown or invalid.',
  RT_API_NOT_FOUND: 'An HTTP API route or resource (such as a rig) does not exist.',
  RT_API_UNAVAILABLE: 'An HTTP API route needs a component that is not configured or not ready.',
  RT_API_INTERNAL: 'An HTTP API request failed on an unexpected error (details are in the log).',
  RT_ACTUATOR_REFUSED: 'A device refused a set-point write (error status, no permission, busy session).',
  RT_ACTUATOR_NOT_APPLIED: 'A device accepted a set-point write but reading it back shows another value.',
  RT_ACTUATOR_BOUNDS: 'A set-point is outside the configured limits intersected with the device limits.',
  RT_ACTUATOR_UNSUPPORTED: 'A device or driver cannot change this set-point.',
  RT_ACTUATOR_UNREACHABLE: 'A device could not be reached to write or read back a set-point.',
  RT_API_UNAUTHORIZED:
    'An HTTP API control request lacks the right bearer token, or no control token is configured.',
  RT_API_REFUSED: 'An HTTP API control request was refused by the guard rails or the controller state.',
  RT_API_ACTION_FAILED:
    'A manual set-point was written but the device refused or ignored it; it was rolled back.',
  RT_STUDY_REFUSED:
    'An A-B-A study was refused before it changed anything (device not controllable, treatment out of bounds, kill switch, conflicting study or mode).',
  RT_STUDY_STATE:
    "A study's state file (studies/<id>/study.json) is unreadable, invalid or does not fit the request.",
  RT_STUDY_DATA:
    "An A-B-A study's history has too few rows to analyse (a device or a phase without samples).",
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

/** How a source failed; retry and backoff decide from this, never from message text. */
export type SourceErrorKind = 'connect' | 'timeout' | 'reset' | 'protocol' | 'status' | 'unsupported';

const SOURCE_CODES: Record<SourceErrorKind, ErrorCode> = {
  connect: 'RT_SOURCE_CONNECT',
  timeout: 'RT_SOURCE_TIMEOUT',
  reset: 'RT_SOURCE_RESET',
  protocol: 'RT_SOURCE_PROTOCOL',
  status: 'RT_SOURCE_STATUS',
  unsupported: 'RT_SOURCE_UNSUPPORTED',
};

/** A failed read from a source: its kind, and whether trying again later may succeed. */
export class SourceError extends RigtuneError {
  readonly kind: SourceErrorKind;
  readonly transient: boolean;

  constructor(kind: SourceErrorKind, message: string, where: ErrorWhere = {}, options?: { cause?: unknown }) {
    super(SOURCE_CODES[kind], message, where, options);
    this.name = 'SourceError';
    this.kind = kind;
    this.transient = kind === 'connect' || kind === 'timeout' || kind === 'reset';
  }
}

/** True when `err` is a RigtuneError, optionally with the given code. */
export function isRigtuneError(err: unknown, code?: ErrorCode): err is RigtuneError {
  return err instanceof RigtuneError && (code === undefined || err.code === code);
}

/** Why a set-point change failed; the control layer decides revert, advice and cooldown from this. */
export type ActuatorErrorReason = 'refused' | 'not_applied' | 'out_of_bounds' | 'unsupported' | 'unreachable';

const ACTUATOR_CODES: Record<ActuatorErrorReason, ErrorCode> = {
  refused: 'RT_ACTUATOR_REFUSED',
  not_applied: 'RT_ACTUATOR_NOT_APPLIED',
  out_of_bounds: 'RT_ACTUATOR_BOUNDS',
  unsupported: 'RT_ACTUATOR_UNSUPPORTED',
  unreachable: 'RT_ACTUATOR_UNREACHABLE',
};

/** A failed set-point write or read-back, with its reason. */
export class ActuatorError extends RigtuneError {
  readonly reason: ActuatorErrorReason;

  constructor(
    reason: ActuatorErrorReason,
    message: string,
    where: ErrorWhere = {},
    options?: { cause?: unknown },
  ) {
    super(ACTUATOR_CODES[reason], message, where, options);
    this.name = 'ActuatorError';
    this.reason = reason;
  }
}
