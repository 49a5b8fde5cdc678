// Parsing and checking of query parameters, each failure an RT_API_PARAM naming the parameter, so a
// client learns which value to fix (`from`, `to`, `fields`, `limit`, …) without reading the docs.

import { paramError } from './errors.ts';

/** A parsed query string: fastify gives a string per key, or an array when a key repeats. */
export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Rejects keys not in `allowed` (a typo such as `form=` would otherwise be ignored silently). */
export function rejectUnknownParams(query: Query, allowed: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      const known = allowed.length > 0 ? `; known parameters: ${allowed.join(', ')}` : '';
      throw paramError(key, `unknown parameter '${key}'${known}`);
    }
  }
}

/** The single value of `name`, or undefined when absent; a repeated key is an error. */
export function singleParam(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined || typeof v === 'string') return v;
  throw paramError(name, `${name} is given ${v.length} times; give it once`);
}

/** Largest time a JavaScript Date holds, epoch ms. */
const MAX_TIME_MS = 8.64e15;
const EPOCH_MS = /^\d{1,16}$/;
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A time parameter as epoch ms: digits are epoch milliseconds; otherwise ISO 8601
 * (`2024-05-01`, `2024-05-01T12:00:00Z`, `…T12:00:00.250+02:00`). A date or a date-time without an
 * offset is read as UTC, so the answer does not depend on the server's time zone.
 */
export function parseTimeParam(name: string, raw: string): number {
  const text = raw.trim();
  if (EPOCH_MS.test(text) && Number(text) <= MAX_TIME_MS) return Number(text);
  const m = ISO_8601.exec(text);
  if (m !== null) {
    const [, date, time, offset] = m;
    const iso = time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${offset ?? 'Z'}`;
    const ms = Date.parse(iso);
    // Date.parse accepts 2024-02-31 as March 2; a round trip of the date part catches it.
    if (Number.isFinite(ms) && isRealDate(date)) return ms;
  }
  throw paramError(
    name,
    `${name} must be epoch milliseconds or an ISO 8601 time such as 2024-05-01T12:00:00Z, got '${raw}'`,
  );
}

function isRealDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

/** An integer parameter within [min, max]; absent → `fallback`. */
export function parseIntParam(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
  fallback: number,
): number {
  if (raw === undefined) return fallback;
  const text = raw.trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw paramError(name, `${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

/**
 * A comma-separated list of names (surrounding spaces ignored, duplicates dropped, order kept), each
 * checked against `known`; absent → null. An empty list is an error (leave the parameter out instead).
 */
export function parseListParam(
  name: string,
  raw: string | undefined,
  known: readonly string[] | null,
): string[] | null {
  if (raw === undefined) return null;
  const names = [...new Set(raw.split(',').map((s) => s.trim()))];
  if (names.some((n) => n === '')) {
    throw paramError(name, `${name} must be a comma-separated list of names without empty entries`);
  }
  if (known !== null) {
    for (const n of names) {
      if (!known.includes(n))
        throw paramError(name, `unknown ${name} entry '${n}'; known: ${known.join(', ')}`);
    }
  }
  return names;
}

/** A non-empty name parameter (rig, device), or undefined when absent. */
export function parseNameParam(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === '') throw paramError(name, `${name} must be a non-empty name`);
  return raw;
}
