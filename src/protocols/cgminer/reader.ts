// The tolerant JSON reader of CGMiner-family replies: a small byte-level parser that repairs the
// known firmware defects at token level, names each repair, and rejects everything else with an offset.

import type { ErrorWhere } from '../../core/errors.ts';
import {
  ByteLexer,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isLetter,
  latin1,
  NON_FINITE_WORD,
  NUL,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './lexer.ts';
import type { ReaderQuirk } from './quirks.ts';

/** A parsed reply and the repairs it needed (unique names, in order of first use). */
export interface CgminerJson {
  readonly value: unknown;
  readonly quirks: readonly ReaderQuirk[];
}

/** Deepest nesting accepted; real replies nest 3–4 levels, garbage like `[[[[…` is refused early. */
export const MAX_DEPTH = 128;

const encoder = new TextEncoder();

/** Sets `key` as an own data property (so `__proto__` is a plain key, as with JSON.parse). */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

class Reader {
  readonly #lex: ByteLexer;
  #depth = 0;

  constructor(bytes: Uint8Array, where: ErrorWhere) {
    this.#lex = new ByteLexer(bytes, where);
  }

  read(): CgminerJson {
    this.#lex.skipWhitespace();
    const first = this.#lex.peek();
    if (first === undefined || (first === NUL && this.#lex.onlyNulAndWhitespaceFrom(this.#lex.pos)))
      this.#lex.fail('Empty reply', this.#lex.pos);
    if (first === 0x3c) this.#lex.failHtml();
    if (latin1.decode(this.#lex.bytes.subarray(this.#lex.pos, this.#lex.pos + 5)) === 'HTTP/')
      this.#lex.failHttp();
    let value: unknown;
    if (first === COMMA) value = this.#readLeadingCommaReply();
    else value = this.#readValue();
    this.#lex.skipWhitespace();
    if (this.#lex.pos < this.#lex.bytes.length) {
      if (this.#lex.bytes[this.#lex.pos] !== NUL || !this.#lex.onlyNulAndWhitespaceFrom(this.#lex.pos))
        this.#lex.fail('Unexpected data after the JSON value', this.#lex.pos);
      this.#lex.quirks.add('trailing-nul');
    }
    return { value, quirks: [...this.#lex.quirks] };
  }

  #enter(): void {
    this.#depth += 1;
    if (this.#depth > MAX_DEPTH) this.#lex.fail(`Nesting deeper than ${MAX_DEPTH} levels`, this.#lex.pos);
  }

  #readValue(): unknown {
    const b = this.#lex.peek();
    if (b === undefined) this.#lex.fail('Reply ends where a value was expected (truncated)', this.#lex.pos);
    if (b === OPEN_BRACE) return this.#readObject();
    if (b === OPEN_BRACKET) return this.#readArray();
    if (b === QUOTE) {
      const text = this.#lex.readString();
      if (!NON_FINITE_WORD.test(text)) return text;
      this.#lex.quirks.add('non-finite-as-string');
      return null;
    }
    if (isLetter(b) || ((b === 0x2d || b === 0x2b) && isLetter(this.#lex.bytes[this.#lex.pos + 1] ?? 0)))
      return this.#lex.readWord();
    if (b === 0x2d || (b >= 0x30 && b <= 0x39)) return this.#lex.readNumber();
    return this.#lex.fail(
      `Unexpected byte 0x${b.toString(16).padStart(2, '0')} where a value was expected`,
      this.#lex.pos,
    );
  }

  /** Members up to `close`; `firstKey` when the caller already read the first key. */
  #readMembers(target: Record<string, unknown>, close: number, what: string, firstKey?: string): void {
    let key = firstKey;
    this.#lex.skipWhitespace();
    if (key === undefined && this.#lex.peek() === close) {
      this.#lex.pos += 1;
      return;
    }
    for (;;) {
      if (key === undefined) {
        if (this.#lex.peek() !== QUOTE) this.#lex.expectEnd(what);
        key = this.#lex.readString();
        this.#lex.skipWhitespace();
      }
      if (this.#lex.peek() !== COLON) this.#lex.expectEnd(what);
      this.#lex.pos += 1;
      this.#lex.skipWhitespace();
      const value = this.#readValue();
      // Hammer D10 repeats `temp1`…: the last value wins, exactly as JSON.parse would keep it.
      if (Object.hasOwn(target, key)) this.#lex.quirks.add('duplicate-key');
      setMember(target, key, value);
      key = undefined;
      this.#lex.skipWhitespace();
      const next = this.#lex.peek();
      if (next === close) {
        this.#lex.pos += 1;
        return;
      }
      if (next === COMMA) {
        this.#lex.pos += 1;
        this.#lex.skipWhitespace();
        if (this.#lex.peek() === close) {
          this.#lex.quirks.add('trailing-comma');
          this.#lex.pos += 1;
          return;
        }
        continue;
      }
      if (next === QUOTE) {
        // btminer 2023-01-06: `"…""temp0"` — a member follows a value with no comma.
        this.#lex.quirks.add('missing-comma-between-members');
        continue;
      }
      this.#lex.expectEnd(what);
    }
  }

  #readObject(): Record<string, unknown> {
    this.#enter();
    this.#lex.pos += 1;
    const target: Record<string, unknown> = {};
    this.#readMembers(target, CLOSE_BRACE, 'an object');
    this.#depth -= 1;
    return target;
  }

  #readArray(): unknown[] | Record<string, unknown> {
    this.#enter();
    this.#lex.pos += 1;
    this.#lex.skipWhitespace();
    if (this.#lex.peek() === COMMA) {
      this.#lex.quirks.add('leading-comma-in-array');
      this.#lex.pos += 1;
      this.#lex.skipWhitespace();
    }
    if (this.#lex.peek() === QUOTE) {
      const shaped = this.#tryArrayShapedObject();
      if (shaped !== null) {
        this.#depth -= 1;
        return shaped;
      }
    }
    const out: unknown[] = [];
    if (this.#lex.peek() === CLOSE_BRACKET) {
      this.#lex.pos += 1;
      this.#depth -= 1;
      return out;
    }
    for (;;) {
      out.push(this.#readValue());
      const endedObject = this.#lex.bytes[this.#lex.pos - 1] === CLOSE_BRACE;
      this.#lex.skipWhitespace();
      const next = this.#lex.peek();
      if (next === CLOSE_BRACKET) break;
      if (next === COMMA) {
        this.#lex.pos += 1;
        this.#lex.skipWhitespace();
        if (this.#lex.peek() === CLOSE_BRACKET) {
          this.#lex.quirks.add('trailing-comma');
          break;
        }
        continue;
      }
      if (next === OPEN_BRACE && endedObject) {
        // bmminer STATS: `}{` between two entries; the missing comma is assumed.
        this.#lex.quirks.add('missing-comma-between-objects');
        continue;
      }
      this.#lex.expectEnd('an array');
    }
    this.#lex.pos += 1;
    this.#depth -= 1;
    return out;
  }

  /** Whatsminer API 2.0.4 `["110":"…","111":"…"]`: when a string is followed by ':', read members. */
  #tryArrayShapedObject(): Record<string, unknown> | null {
    const start = this.#lex.pos;
    const key = this.#lex.readString();
    this.#lex.skipWhitespace();
    if (this.#lex.peek() !== COLON) {
      this.#lex.pos = start;
      return null;
    }
    this.#lex.quirks.add('array-shaped-object');
    const target: Record<string, unknown> = {};
    this.#readMembers(target, CLOSE_BRACKET, 'an array-shaped object', key);
    return target;
  }

  /** Avalon `,"id":1}`: a reply that starts with a comma is read as an object missing its `{`. */
  #readLeadingCommaReply(): Record<string, unknown> {
    const start = this.#lex.pos;
    this.#lex.pos += 1;
    this.#lex.skipWhitespace();
    if (this.#lex.peek() !== QUOTE)
      this.#lex.fail('Reply starts with a comma not followed by a member', start);
    this.#lex.quirks.add('leading-comma-reply');
    this.#enter();
    const target: Record<string, unknown> = {};
    this.#readMembers(target, CLOSE_BRACE, 'the reply object');
    this.#depth -= 1;
    return target;
  }
}

/**
 * Parses a CGMiner-family reply, repairing only the defects listed in READER_QUIRKS and naming each
 * one it needed. Valid JSON reads exactly as JSON.parse reads it, with no quirks. Duplicate keys: the
 * last value wins. `inf`/`nan` (bare or quoted) and overflowing numbers become null, never 0.
 *
 * @param input raw reply bytes as received (a string is encoded as UTF-8 first)
 * @param where added to the error's `where` (command, rig)
 * @throws SourceError kind 'protocol' for anything else — empty, HTML, truncated, binary — with the
 *   byte offset (`where.offset`) and an excerpt around it in the message
 */
export function readCgminerJson(input: Uint8Array | string, where: ErrorWhere = {}): CgminerJson {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  return new Reader(bytes, where).read();
}
