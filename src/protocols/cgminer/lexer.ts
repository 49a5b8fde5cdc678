// The byte-level half of the cgminer reply reader: position, whitespace, strings, numbers and
// words, with the quirks met and the protocol errors (byte offset + excerpt) raised while reading them.

import { type ErrorWhere, SourceError } from '../../core/errors.ts';
import { excerptAt, excerptHead } from './excerpt.ts';
import type { ReaderQuirk } from './quirks.ts';

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const NUL = 0x00;
const BACKSLASH = 0x5c;

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;
/** Words read as null (bare or quoted): `inf`, `-inf`, `infinity`, `nan`, any case. */
export const NON_FINITE_WORD = /^[-+]?(inf|infinity|nan)$/i;
const ESCAPES: Readonly<Record<number, string>> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
export const latin1 = new TextDecoder('latin1');

export function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isNumberByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x45 || b === 0x65;
}

export function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** A cursor over the reply bytes; `pos` is the offset of the next unread byte. */
export class ByteLexer {
  readonly bytes: Uint8Array;
  readonly where: ErrorWhere;
  readonly quirks = new Set<ReaderQuirk>();
  pos = 0;

  constructor(bytes: Uint8Array, where: ErrorWhere) {
    this.bytes = bytes;
    this.where = where;
  }

  /** Throws SourceError('protocol') with the offset and an excerpt around it. */
  fail(message: string, at: number): never {
    const excerpt = excerptAt(this.bytes, at);
    throw new SourceError('protocol', `${message} at byte ${at}: ${excerpt}`, { ...this.where, offset: at });
  }

  failHtml(): never {
    const text = lenientUtf8.decode(this.bytes.subarray(0, 4096));
    const title = /<title[^>]*>([^<]{0,120})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
    const titled = title ? ` titled "${title}"` : '';
    throw new SourceError(
      'protocol',
      `HTML page${titled} instead of a cgminer JSON reply (is this the web UI port?): ${excerptHead(this.bytes)}`,
      { ...this.where, offset: this.pos },
    );
  }

  failHttp(): never {
    throw new SourceError(
      'protocol',
      `HTTP reply instead of a cgminer JSON reply (is this a web port, not the API port 4028?): ${excerptHead(this.bytes)}`,
      { ...this.where, offset: this.pos },
    );
  }

  peek(): number | undefined {
    return this.pos < this.bytes.length ? this.bytes[this.pos] : undefined;
  }

  skipWhitespace(): void {
    while (this.pos < this.bytes.length && isWhitespace(this.bytes[this.pos])) this.pos += 1;
  }

  onlyNulAndWhitespaceFrom(start: number): boolean {
    for (let i = start; i < this.bytes.length; i += 1) {
      const b = this.bytes[i];
      if (b !== NUL && !isWhitespace(b)) return false;
    }
    return true;
  }

  expectEnd(what: string): never {
    if (this.pos >= this.bytes.length) this.fail(`Reply ends inside ${what} (truncated)`, this.pos);
    this.fail(`Unexpected byte 0x${this.bytes[this.pos].toString(16).padStart(2, '0')} in ${what}`, this.pos);
  }

  readWord(): boolean | null {
    const start = this.pos;
    if (this.bytes[this.pos] === 0x2d || this.bytes[this.pos] === 0x2b) this.pos += 1;
    while (this.pos < this.bytes.length && isLetter(this.bytes[this.pos])) this.pos += 1;
    const word = latin1.decode(this.bytes.subarray(start, this.pos));
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (NON_FINITE_WORD.test(word)) {
      this.quirks.add('non-finite-bare');
      return null;
    }
    return this.fail(`Unknown word '${word.slice(0, 20)}'`, start);
  }

  readNumber(): number | null {
    const start = this.pos;
    while (this.pos < this.bytes.length && isNumberByte(this.bytes[this.pos])) this.pos += 1;
    const text = latin1.decode(this.bytes.subarray(start, this.pos));
    if (!NUMBER.test(text)) this.fail(`Malformed number '${text.slice(0, 30)}'`, start);
    const n = Number(text);
    if (Number.isFinite(n)) return n;
    this.quirks.add('number-overflow');
    return null;
  }

  decode(from: number, to: number): string {
    if (from === to) return '';
    const slice = this.bytes.subarray(from, to);
    try {
      return strictUtf8.decode(slice);
    } catch {
      // Not UTF-8 (a latin-1 pool user, a corrupt byte): keep the rest, mark each bad sequence U+FFFD.
      this.quirks.add('invalid-utf8');
      return lenientUtf8.decode(slice);
    }
  }

  readString(): string {
    const bytes = this.bytes;
    let i = this.pos + 1;
    let runStart = i;
    let out = '';
    for (;;) {
      if (i >= bytes.length) this.fail('Reply ends inside a string (truncated)', i);
      const b = bytes[i];
      if (b === QUOTE) {
        out += this.decode(runStart, i);
        this.pos = i + 1;
        return out;
      }
      if (b === BACKSLASH) {
        out += this.decode(runStart, i);
        const e = bytes[i + 1];
        if (e === undefined) this.fail('Reply ends inside a string (truncated)', i + 1);
        if (e === 0x75) {
          const hex = latin1.decode(bytes.subarray(i + 2, i + 6));
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Bad \\u escape in a string', i);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else {
          const plain = ESCAPES[e];
          if (plain === undefined) this.fail('Bad escape in a string', i);
          out += plain;
          i += 2;
        }
        runStart = i;
        continue;
      }
      if (b < 0x20) this.quirks.add('control-char-in-string');
      i += 1;
    }
  }
}
