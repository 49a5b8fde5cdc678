// A printable copy of a Config with every secret hidden: values read from the environment shown as
// their `${ENV:NAME}` reference, URL passwords and secret-looking keys masked. For logs and doctor.

import { secretsOf } from './secrets.ts';
import type { Config } from './types.ts';

/** What a hidden value is replaced with when no `${ENV:…}` reference can be shown. */
export const REDACTED = '[redacted]';

const SECRET_KEY = /(^|[_-])(token|password|passwd|secret|api[_-]?key|authorization|credentials?)$/i;

/** `redis://user:pw@host` → `redis://user:[redacted]@host`; other strings unchanged. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):([^/@\s]*)@/i, (_m, scheme, user, pass) =>
    pass === '' ? `${scheme}${user}:@` : `${scheme}${user}:${REDACTED}@`,
  );
}

/**
 * A deep, plain (JSON-ready) copy of `config` fit to print: values taken from the environment show
 * as the file wrote them (`${ENV:NAME}`), passwords in URLs and values of secret-looking keys
 * (token, password, secret, api_key, authorization) as [redacted]; `{ env: NAME }` references stay.
 */
export function redactConfig(config: Config): unknown {
  const places = new Map(secretsOf(config).map((s) => [s.path.map(String).join('\u0000'), s.shown]));
  const walk = (value: unknown, path: string[]): unknown => {
    const shown = places.get(path.join('\u0000'));
    if (shown !== undefined) return redactUrl(shown);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)]));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...path, k]);
      return out;
    }
    if (typeof value === 'string') {
      const key = path.at(-1) ?? '';
      if (SECRET_KEY.test(key) && path.at(-2) !== 'labels') return REDACTED;
      return redactUrl(value);
    }
    return value;
  };
  return walk(config, []);
}
