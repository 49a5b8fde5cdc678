// Unit and property tests of the tolerant reader: valid JSON reads exactly as JSON.parse with no
// quirks; anything at all never throws but SourceError('protocol'); truncated replies never yield a value.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SourceError } from '../../core/errors.ts';
import { MAX_DEPTH, readCgminerJson } from './reader.ts';
import { readCgminerText } from './text-reply.ts';

const RUNS = { seed: 20261126, numRuns: 400 } as const;
const NON_FINITE = /^[-+]?(inf|infinity|nan)$/i;

function isProtocolError(err: unknown): boolean {
  return err instanceof SourceError && err.kind === 'protocol' && typeof err.where.offset === 'number';
}

/** True when any string value (not key) would be read as a non-finite word. */
function hasNonFiniteString(v: unknown): boolean {
  if (typeof v === 'string') return NON_FINITE.test(v);
  if (Array.isArray(v)) return v.some(hasNonFiniteString);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasNonFiniteString);
  return false;
}

test('valid JSON reads exactly as JSON.parse, with no quirks (property)', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
      fc.pre(!hasNonFiniteString(value));
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      const fromString = readCgminerJson(text);
      assert.deepEqual(fromString.value, JSON.parse(text));
      assert.deepEqual(fromString.quirks, []);
      assert.deepEqual(readCgminerJson(new TextEncoder().encode(text)).value, JSON.parse(text));
    }),
    RUNS,
  );
});

test('arbitrary bytes and strings never throw anything but SourceError protocol (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        readCgminerJson(bytes);
      } catch (err) {
        assert.ok(isProtocolError(err), String(err));
      }
    }),
    RUNS,
  );
  const jsonish = fc
    .array(fc.constantFrom(...'{}[],:"\\ aefilnrstu019.-\n\0'.split('')), { maxLength: 80 })
    .map((chars) => chars.join(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), jsonish), (text) => {
      try {
        readCgminerJson(text);
      } catch (err) {
        assert.ok(isProtocolError(err), String(err));
      }
    }),
    RUNS,
  );
});

test('every strict prefix of an object reply is refused as protocol, never returned (property)', () => {
  const record = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    minKeys: 1,
    maxKeys: 5,
  });
  fc.assert(
    fc.property(record, fc.nat(), (value, cut) => {
      const text = JSON.stringify(value);
      const prefix = text.slice(0, cut % text.length);
      assert.throws(() => readCgminerJson(prefix), isProtocolError);
    }),
    RUNS,
  );
});

test('quirk injections repair to the original value and name the quirk (property)', () => {
  const scalar = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
  );
  const record = fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 6 }), scalar, {
    minKeys: 1,
    maxKeys: 6,
  });
  fc.assert(
    fc.property(fc.array(record, { minLength: 2, maxLength: 4 }), (entries) => {
      fc.pre(!hasNonFiniteString(entries));
      const objects = entries.map((e) => JSON.stringify(e));
      const reply = (items: string) => `{"STATS":[${items}],"id":1}`;
      const expected = { STATS: entries.map((e) => JSON.parse(JSON.stringify(e))), id: 1 };
      const cases: [string, string[]][] = [
        [`${reply(objects.join(','))}\0`, ['trailing-nul']],
        [reply(objects.join('')), ['missing-comma-between-objects']],
        [reply(`,${objects.join(',')}`), ['leading-comma-in-array']],
        [reply(`${objects.join(',')},`), ['trailing-comma']],
        [reply(objects.map((o) => o.replace(/}$/, ',}')).join(',')), ['trailing-comma']],
      ];
      for (const [text, quirks] of cases) {
        const got = readCgminerJson(text);
        assert.deepEqual(got.value, expected, text);
        assert.deepEqual(got.quirks, quirks, text);
      }
    }),
    RUNS,
  );
});

test('duplicate keys: the last value wins and the quirk is named', () => {
  const got = readCgminerJson('{"temp1":40,"temp2":1,"temp1":43}');
  assert.deepEqual(got.value, { temp1: 43, temp2: 1 });
  assert.deepEqual(Object.keys(got.value as object), ['temp1', 'temp2']);
  assert.deepEqual(got.quirks, ['duplicate-key']);
});

test('non-finite words in every spelling become null; other words are refused', () => {
  for (const w of ['inf', '-inf', '+inf', 'Infinity', '-Infinity', 'nan', 'NaN', '-nan'])
    assert.deepEqual(readCgminerJson(`[${w}]`), { value: [null], quirks: ['non-finite-bare'] }, w);
  for (const w of ['"inf"', '"-INF"', '"NaN"', '"infinity"'])
    assert.deepEqual(
      readCgminerJson(`{"a":${w}}`),
      { value: { a: null }, quirks: ['non-finite-as-string'] },
      w,
    );
  assert.deepEqual(readCgminerJson('{"inf":"nano"}').value, { inf: 'nano' }); // keys and longer words untouched
  assert.throws(
    () => readCgminerJson('{"a":undefined}'),
    (e) => isProtocolError(e) && /Unknown word 'undefined'/.test(String(e)),
  );
});

test("errors carry the byte offset, an excerpt and the caller's where", () => {
  assert.throws(
    () => readCgminerJson('{"a":1;"b":2}', { command: 'summary', rig: 'r' }),
    (err) => {
      assert.ok(err instanceof SourceError);
      assert.deepEqual(err.where, { command: 'summary', rig: 'r', offset: 6 });
      assert.match(err.message, /at byte 6: \{"a":1⟨here⟩;"b":2\}/);
      return true;
    },
  );
  // byte offsets, not character offsets: "é" is two bytes in UTF-8
  assert.throws(
    () => readCgminerJson('{"é":1 2}'),
    (err) => err instanceof SourceError && err.where.offset === 8,
  );
});

test('deep nesting and huge tokens fail as protocol errors, not stack overflows', () => {
  assert.throws(
    () => readCgminerJson('['.repeat(MAX_DEPTH + 1)),
    (e) => isProtocolError(e) && /Nesting deeper/.test(String(e)),
  );
  assert.doesNotThrow(() => readCgminerJson(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`));
  assert.deepEqual(readCgminerJson('9'.repeat(400)), { value: null, quirks: ['number-overflow'] });
  assert.throws(() => readCgminerJson(`${'1'.repeat(100_000)}x`), isProtocolError);
  assert.throws(
    () => readCgminerJson(`"${'a'.repeat(100_000)}`),
    (e) => isProtocolError(e) && /truncated/.test(String(e)),
  );
});

test('escapes decode as JSON.parse decodes them, bad escapes are refused', () => {
  const text = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\udc00"';
  assert.equal(readCgminerJson(text).value, JSON.parse(text));
  assert.throws(() => readCgminerJson('"\\x41"'), isProtocolError);
  assert.throws(() => readCgminerJson('"\\u12g4"'), isProtocolError);
});

test('the text framing reads into the JSON shape, values as strings', () => {
  const reply = new TextEncoder().encode(
    'STATUS=S,When=1533152610,Code=9,Msg=3 ASC(s),Description=cgminer 4.10.0|ASC=0,Name=BTM,MHS 5s=1.5|ASC=1,Name=BTM,MHS 5s=2.5|\0',
  );
  const got = readCgminerText(reply, 'devs');
  assert.deepEqual(got.value, {
    STATUS: [{ STATUS: 'S', When: '1533152610', Code: '9', Msg: '3 ASC(s)', Description: 'cgminer 4.10.0' }],
    DEVS: [
      { ASC: '0', Name: 'BTM', 'MHS 5s': '1.5' },
      { ASC: '1', Name: 'BTM', 'MHS 5s': '2.5' },
    ],
  });
  assert.deepEqual(got.quirks, ['trailing-nul']);
  const named = readCgminerText(new TextEncoder().encode('STATUS=S,Code=11|SUMMARY,Elapsed=5|'), 'summary');
  assert.deepEqual(named.value, { STATUS: [{ STATUS: 'S', Code: '11' }], SUMMARY: [{ Elapsed: '5' }] });
  assert.throws(() => readCgminerText(new TextEncoder().encode('{"a":1}'), 'summary'), isProtocolError);
});
