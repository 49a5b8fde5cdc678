// The reply envelope of the cgminer API: `STATUS` (S, I, W, E, F), `Code`, `Msg`, `Description`,
// and the `a+b` multi-command form whose reply holds one sub-reply per command.

import { type ErrorWhere, SourceError } from '../../core/errors.ts';

/** The envelope of one reply, as far as it is present. */
export interface ReplyStatus {
  /** `S` success, `I` info, `W` warning, `E` error, `F` fatal; null when the reply has none. */
  readonly status: string | null;
  readonly code: number | null;
  readonly msg: string | null;
  /** Miner software and version, e.g. `cgminer 1.0.0`, `btminer`, `BOSminer+ 0.2.0-36c56a9363`. */
  readonly description: string | null;
}

function recordOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return null;
}

/**
 * The envelope of `reply`: `STATUS` as an array of one record (cgminer) or, on Whatsminer's
 * `{"STATUS":"S","Msg":{…}}` replies, as fields of the reply itself.
 */
export function replyStatus(reply: unknown): ReplyStatus {
  const r = recordOf(reply);
  const s = Array.isArray(r.STATUS) ? recordOf(r.STATUS[0]) : typeof r.STATUS === 'string' ? r : {};
  const code = typeof s.Code === 'number' ? s.Code : null;
  return {
    status: typeof s.STATUS === 'string' ? s.STATUS : null,
    code,
    msg: textOf(s.Msg),
    description: typeof s.Description === 'string' ? s.Description : null,
  };
}

/** Throws SourceError kind 'status' when `reply` carries STATUS `E` or `F`, with the miner's message. */
export function assertReplyOk(reply: unknown, command: string, where: ErrorWhere = {}): void {
  const s = replyStatus(reply);
  if (s.status !== 'E' && s.status !== 'F') return;
  const code = s.code === null ? '' : ` (code ${s.code})`;
  const msg = s.msg ?? 'no message';
  throw new SourceError('status', `Miner answered '${command}' with status ${s.status}${code}: ${msg}`, {
    ...where,
    command,
  });
}

/**
 * The sub-reply of `command` inside a multi-command reply (`{"summary":[{…}],"stats":[{…}]}`),
 * status-checked. Throws SourceError 'protocol' when it is missing, 'status' when it is an error.
 */
export function multiReplyPart(reply: unknown, command: string, where: ErrorWhere = {}): unknown {
  const r = recordOf(reply);
  const part = Object.hasOwn(r, command) ? r[command] : undefined;
  const sub = Array.isArray(part) ? part[0] : part;
  if (typeof sub !== 'object' || sub === null)
    throw new SourceError('protocol', `Multi-command reply has no part for '${command}'`, {
      ...where,
      command,
    });
  assertReplyOk(sub, command, where);
  return sub;
}
