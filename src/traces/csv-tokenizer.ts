// Incremental RFC 4180 tokenizer: text chunks in, rows of cells out, with the physical line each row
// starts on. Quoted cells may hold commas, doubled quotes and newlines; CRLF, a BOM and blank lines are fine.

import { RigtuneError } from '../core/errors.ts';
import { excerpt } from './values.ts';

/** One CSV record: its raw cells (not trimmed) and the 1-based line it starts on. */
export interface CsvRow {
  readonly cells: string[];
  readonly line: number;
}

/** Result of scanning a quoted record: the row and where it ended, or null when more text is needed. */
type Scan = { cells: string[]; end: number; newlines: number } | null;

export class CsvTokenizer {
  readonly #file: string;
  #buf = '';
  #pos = 0;
  #line = 1;
  #quoteAt = -1;
  #isStart = true;

  constructor(file: string) {
    this.#file = file;
  }

  /** Adds a chunk of text and returns every row it completes. Throws RT_INPUT_PARSE on bad quoting. */
  push(text: string): CsvRow[] {
    this.#buf = this.#pos < this.#buf.length ? this.#buf.slice(this.#pos) + text : text;
    this.#pos = 0;
    this.#quoteAt = -1;
    if (this.#isStart && this.#buf.length > 0) {
      if (this.#buf.charCodeAt(0) === 0xfeff) this.#buf = this.#buf.slice(1);
      this.#isStart = false;
    }
    return this.#scan(false);
  }

  /** Ends the input: returns the last row when the text did not end with a newline. */
  end(): CsvRow[] {
    return this.#scan(true);
  }

  #scan(isFinal: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    const buf = this.#buf;
    while (this.#pos < buf.length) {
      const nl = buf.indexOf('\n', this.#pos);
      if (this.#quoteAt !== -2 && this.#quoteAt < this.#pos) {
        const q = buf.indexOf('"', this.#pos);
        this.#quoteAt = q === -1 ? -2 : q;
      }
      const hasQuote = this.#quoteAt >= 0 && (nl === -1 || this.#quoteAt < nl);
      if (!hasQuote) {
        if (nl === -1 && !isFinal) break;
        const stop = nl === -1 ? buf.length : nl;
        let text = buf.slice(this.#pos, stop);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        const line = this.#line++;
        this.#pos = stop + 1;
        if (text.trim() !== '') rows.push({ cells: text.split(','), line });
        continue;
      }
      const scan = this.#scanQuoted(buf, this.#pos, isFinal);
      if (scan === null) break;
      rows.push({ cells: scan.cells, line: this.#line });
      this.#line += scan.newlines + 1;
      this.#pos = scan.end;
    }
    if (isFinal) this.#pos = buf.length;
    return rows;
  }

  /** Scans one record that contains quotes, from `start`; `end` is just past its newline. */
  #scanQuoted(buf: string, start: number, isFinal: boolean): Scan {
    const cells: string[] = [];
    let i = start;
    let newlines = 0;
    for (;;) {
      let cell = '';
      if (buf[i] === '"') {
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q === -1) {
            if (!isFinal) return null;
            throw this.#error('unterminated quoted cell', buf.slice(i), newlines, cells.length);
          }
          const part = buf.slice(j, q);
          cell += part;
          newlines += countNewlines(part);
          if (q + 1 >= buf.length && !isFinal) return null;
          if (buf[q + 1] === '"') {
            cell += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        const c = buf[i];
        if (c !== ',' && c !== '\n' && c !== '\r' && c !== undefined) {
          const msg = 'unexpected text after a closing quote';
          throw this.#error(msg, buf.slice(start, i + 20), newlines, cells.length);
        }
      } else {
        let j = i;
        while (j < buf.length && buf[j] !== ',' && buf[j] !== '\n') j++;
        if (j >= buf.length && !isFinal) return null;
        cell = buf.slice(i, j);
        if (buf[j] === '\n' && cell.endsWith('\r')) cell = cell.slice(0, -1);
        i = j;
      }
      cells.push(cell);
      const c = buf[i];
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '\r') {
        if (i + 1 >= buf.length && !isFinal) return null;
        if (buf[i + 1] === '\n') i++;
        else if (i + 1 < buf.length) {
          throw this.#error('unexpected carriage return', buf.slice(start, i + 20), newlines, cells.length);
        }
      }
      return { cells, end: i + 1, newlines };
    }
  }

  #error(message: string, text: string, newlines: number, cellIndex: number): RigtuneError {
    const where = { file: this.#file, line: this.#line + newlines, column: cellIndex + 1 };
    return new RigtuneError('RT_INPUT_PARSE', `${message}: ${excerpt(text)}`, where);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) n++;
  return n;
}
