// The mapping layer's value readers and the dialect sniffing: numbers as strings, dash-joined
// sensors, chip strings, both Last Share Time formats, and which firmware each reply names.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { readCgminerJson } from '../../protocols/cgminer/index.ts';
import { detectDialect } from './detect.ts';
import { commandsOf, DIALECTS } from './dialects/index.ts';
import { chipStatusCounts, cleanString, dashMax, lastShareAgeS, QuirkLog, toNumber } from './values.ts';

test('toNumber converts numeric strings and names the quirk; anything else is null', () => {
  const q = new QuirkLog();
  assert.equal(toNumber(12.5, q), 12.5);
  assert.deepEqual(q.list(), []);
  assert.equal(toNumber('37603.30', q), 37603.3);
  assert.equal(toNumber(' 69.2461', q), 69.2461);
  assert.deepEqual(q.list(), ['number-as-string']);
  for (const bad of [
    '',
    '524K',
    '1,5',
    'inf',
    'nan',
    null,
    true,
    {},
    [],
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1e999',
  ])
    assert.equal(toNumber(bad, new QuirkLog()), null, String(bad));
});

test('toNumber agrees with Number on every finite number written as a string (property)', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      fc.pre(!Object.is(n, -0));
      assert.equal(toNumber(String(n), new QuirkLog()), n);
    }),
    { seed: 4028, numRuns: 300 },
  );
});

test('dash-joined sensor strings give their largest non-zero value', () => {
  assert.equal(dashMax('78-50-69-70'), 78);
  assert.equal(dashMax('47-34-34-47'), 47);
  assert.equal(dashMax('0-0-0-0'), null);
  assert.equal(dashMax('x-55-'), 55);
  assert.equal(dashMax(''), null);
  assert.equal(dashMax(78), null);
});

test('chain_acs strings count OK and failed chips', () => {
  assert.deepEqual(chipStatusCounts(' oooooooo oooooooo oxo'), { ok: 18, bad: 1 });
  assert.equal(chipStatusCounts(''), null);
  assert.equal(chipStatusCounts(3), null);
});

test('Last Share Time: H:MM:SS age or epoch seconds, each named; 0 means none', () => {
  const q = new QuirkLog();
  assert.equal(lastShareAgeS('0:00:03', 0, q), 3);
  assert.equal(lastShareAgeS('66:18:15', 0, q), 66 * 3600 + 18 * 60 + 15);
  assert.deepEqual(q.list(), ['last-share-time-clock']);
  assert.equal(lastShareAgeS(1597187897, 1597187900_000, q), 3);
  assert.equal(lastShareAgeS('1597187897', 1597187900_000, q), 3);
  assert.equal(lastShareAgeS(1597187905, 1597187900_000, q), 0); // miner clock ahead: clamped
  assert.deepEqual(q.list(), ['last-share-time-clock', 'last-share-time-epoch']);
  for (const none of [0, '0', '', null, '1:99:00', 'soon'])
    assert.equal(lastShareAgeS(none, 1e12, new QuirkLog()), null);
});

test('quoted strings lose their quotes, with the quirk named', () => {
  const q = new QuirkLog();
  assert.equal(cleanString("'20201202.22.REL'", q), '20201202.22.REL');
  assert.deepEqual(q.list(), ['quotes-in-string']);
  assert.equal(cleanString(' plain ', new QuirkLog()), 'plain');
  assert.equal(cleanString("''", new QuirkLog()), null);
  assert.equal(cleanString(5, new QuirkLog()), null);
});

const fixture = (path: string) =>
  readCgminerJson(readFileSync(new URL(`./fixtures/${path}.json`, import.meta.url))).value;

test('the dialect is sniffed from version, then stats, then summary', () => {
  const q = new QuirkLog();
  const s19 = detectDialect({ version: fixture('antminer/49.0.1.3/version') }, q);
  assert.deepEqual(s19, {
    dialect: 'antminer',
    model: 'Antminer S19 Pro',
    firmware: '49.0.1.3',
    evidence: 'VERSION.BMMiner 1.0.0',
  });
  assert.equal(detectDialect({ stats: fixture('antminer/19.10.1.3/stats') }, q).model, 'Antminer S17 Pro');
  assert.deepEqual(detectDialect({ version: fixture('braiins/0.2.0-36c56a9363/version') }, q), {
    dialect: 'braiins',
    model: undefined,
    firmware: '0.2.0-36c56a9363',
    evidence: 'VERSION.BOSminer+ 0.2.0-36c56a9363',
  });
  assert.equal(
    detectDialect({ version: fixture('luxos/2025.4.8.220305-57b389c7/version') }, q).dialect,
    'luxos',
  );
  const wm = detectDialect({ summary: fixture('whatsminer/20201202.22.REL/summary') }, q);
  assert.deepEqual(wm, {
    dialect: 'whatsminer',
    model: undefined,
    firmware: '20201202.22.REL',
    evidence: 'Description btminer',
  });
  // cgminer 4.x with an Antminer type (D3), BOSer by Description, and something unknown
  const d3 = { VERSION: [{ CGMiner: '4.9.0', API: '3.1', Miner: '1.0.1.3', Type: 'Antminer D3' }] };
  assert.equal(detectDialect({ version: d3 }, q).dialect, 'antminer');
  const boser = {
    STATUS: [{ STATUS: 'S', Description: 'BOSer boser-buildroot 0.1.0-0ce150e9' }],
    SUMMARY: [{}],
  };
  assert.equal(detectDialect({ summary: boser }, q).dialect, 'braiins');
  const avalon = {
    STATUS: [{ STATUS: 'S', Description: 'cgminer 4.11.1' }],
    VERSION: [{ CGMiner: '4.11.1', API: '3.7' }],
  };
  assert.deepEqual(detectDialect({ version: avalon }, q), {
    dialect: 'cgminer',
    model: undefined,
    firmware: '4.11.1',
    evidence: 'Description cgminer 4.11.1',
  });
  assert.equal(detectDialect({}, q).evidence, 'no identifying field');
});

test('each dialect asks for the minimal command set its field table needs', () => {
  assert.deepEqual(commandsOf(DIALECTS.antminer, false), ['summary', 'stats']);
  assert.deepEqual(commandsOf(DIALECTS.antminer, true), ['summary', 'stats', 'pools']);
  assert.deepEqual(commandsOf(DIALECTS.whatsminer, false), ['summary', 'edevs']);
  assert.deepEqual(commandsOf(DIALECTS.braiins, false), ['summary', 'tunerstatus', 'fans', 'devs', 'temps']);
  assert.deepEqual(commandsOf(DIALECTS.luxos, false), ['summary', 'power', 'fans', 'devs', 'stats', 'temps']);
  assert.deepEqual(commandsOf(DIALECTS.cgminer, false), ['summary']);
});
