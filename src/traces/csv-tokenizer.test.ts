// Tests of the incremental CSV tokenizer: RFC 4180 quoting, line numbers across quoted newlines,
// and the same rows whatever the chunk boundaries.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError } from '../core/errors.ts';
import { type CsvRow, CsvTokenizer } from './csv-tokenizer.ts';

function tokenize(chunks: readonly string[]): CsvRow[] {
  const t = new CsvTokenizer('t.csv');
  const rows = chunks.flatMap((c) => t.push(c));
  return [...rows, ...t.end()];
}

test('quotes, doubled quotes, embedded commas and newlines', () => {
  const rows = tokenize(['a,"b,c","d""e"\n"x\ny",," "\n']);
  assert.deepEqual(rows, [
    { cells: ['a', 'b,c', 'd"e'], line: 1 },
    { cells: ['x\ny', '', ' '], line: 2 },
  ]);
});

test('CRLF, BOM, blank lines and a missing final newline', () => {
  const rows = tokenize(['\uFEFFts,v\r\n\r\n1,2\r\n   \n"3",4']);
  assert.deepEqual(rows, [
    { cells: ['ts', 'v'], line: 1 },
    { cells: ['1', '2'], line: 3 },
    { cells: ['3', '4'], line: 5 },
  ]);
});

test('a quote inside an unquoted cell is literal', () => {
  assert.deepEqual(tokenize(['a,b"c\n']), [{ cells: ['a', 'b"c'], line: 1 }]);
});

test('unterminated quote is RT_INPUT_PARSE at the line it reaches', () => {
  assert.throws(
    () => tokenize(['a,b\n1,"open\nstill']),
    (err) => isRigtuneError(err, 'RT_INPUT_PARSE') && err.where.line === 2 && err.where.column === 2,
  );
});

test('text after a closing quote is RT_INPUT_PARSE', () => {
  assert.throws(
    () => tokenize(['a\n"x"y,1\n']),
    (err) => isRigtuneError(err, 'RT_INPUT_PARSE') && err.where.line === 2 && err.where.column === 1,
  );
});

test('property: rows do not depend on where the text is split into chunks', () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', '1', ' ', '.') }),
    fc
      .string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n') })
      .map((s) => `"${s.replaceAll('"', '""')}"`),
  );
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });
  fc.assert(
    fc.property(table, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (rows, cuts, crlf) => {
      const text = rows.map((r) => r.join(',')).join(crlf ? '\r\n' : '\n');
      const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let prev = 0;
      for (const p of points) {
        chunks.push(text.slice(prev, p));
        prev = p;
      }
      chunks.push(text.slice(prev));
      assert.deepEqual(tokenize(chunks), tokenize([text]));
    }),
    { seed: 42, numRuns: 300 },
  );
});
