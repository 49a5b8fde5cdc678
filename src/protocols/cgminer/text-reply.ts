// Reader for cgminer's plain-text reply framing (`STATUS=S,…|SUMMARY,Elapsed=5,…|`), answered to
// requests sent as `command|parameter`; it builds the same shape the JSON framing has.

import { type ErrorWhere, SourceError } from '../../core/errors.ts';
import { excerptHead } from './excerpt.ts';
import type { CgminerJson } from './reader.ts';

const lenient = new TextDecoder('utf-8');

function pairsOf(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq > 0)
      Object.defineProperty(out, item.slice(0, eq), {
        value: item.slice(eq + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

/**
 * Parses a text-framed reply into `{ STATUS: [{…}], <SECTION>: [{…}, …] }`. Values stay strings
 * (the mapping layer converts numbers and records `number-as-string`). Entries that do not name
 * their section (`ASC=0,…` in `devs`) go under the previous section name, else `command` upper-cased.
 *
 * @throws SourceError kind 'protocol' when the reply does not start with a `STATUS=` section
 */
export function readCgminerText(bytes: Uint8Array, command: string, where: ErrorWhere = {}): CgminerJson {
  let text = lenient.decode(bytes);
  const quirks: CgminerJson['quirks'][number][] = [];
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    if (text.slice(nul).replace(/[\0\s]/g, '') !== '')
      throw new SourceError('protocol', `Unexpected data after NUL at byte ${nul}`, {
        ...where,
        offset: nul,
      });
    text = text.slice(0, nul);
    quirks.push('trailing-nul');
  }
  const sections = text
    .trim()
    .split('|')
    .filter((s) => s !== '');
  if (sections.length === 0 || !sections[0].startsWith('STATUS='))
    throw new SourceError(
      'protocol',
      `Not a cgminer text reply (no STATUS= section): ${excerptHead(bytes)}`,
      {
        ...where,
        offset: 0,
      },
    );
  const value: Record<string, Record<string, string>[]> = { STATUS: [pairsOf(sections[0].split(','))] };
  let name = command.toUpperCase();
  for (const section of sections.slice(1)) {
    const items = section.split(',');
    if (items.length > 0 && !items[0].includes('=')) name = items.shift() ?? name;
    if (name === '__proto__') name = command.toUpperCase();
    if (!Object.hasOwn(value, name)) value[name] = [];
    value[name].push(pairsOf(items));
  }
  return { value, quirks };
}
