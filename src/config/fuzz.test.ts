// Property tests: random mutations of a valid file, and random YAML documents, never crash the
// loader — it returns a Config or throws ConfigError whose issues all point inside the file.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ConfigError } from './config-error.ts';
import { parseConfigText } from './parse.ts';

const EXAMPLE = readFileSync(new URL('../../rigtune.example.yaml', import.meta.url), 'utf8');
const ENV = { RIGTUNE_API_TOKEN: 't', RIGTUNE_XMRIG_TOKEN: 'x', X: '1' };

/** Loads `text`; asserts that only ConfigError escapes and that its issues are well placed. */
function loadsOrExplains(text: string): void {
  try {
    parseConfigText(text, 'fuzz.yaml', ENV);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    assert.equal(err.code, 'RT_CONFIG_INVALID');
    assert.ok(err.issues.length > 0);
    const lineCount = text.split('\n').length;
    for (const issue of err.issues) {
      assert.equal(issue.file, 'fuzz.yaml');
      assert.ok(issue.line >= 1 && issue.line <= lineCount, `line ${issue.line} of ${lineCount}`);
      assert.ok(issue.column >= 1);
      assert.ok(issue.message.length > 0);
    }
    assert.ok(err.message.length > 0);
  }
}

const TOKENS = [
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '*b',
  '!!str ',
  '!!binary ',
  '!tag ',
  '"',
  "'",
  '\t',
  '\n',
  '  ',
  '#',
  '${ENV:X}',
  '${ENV:NOPE}',
  '$${ENV:X}',
  '${ENV:',
  'null',
  '~',
  '0x1F',
  '1e400',
  '-0',
  '.inf',
  '.nan',
  '<<: *a',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '|\n',
  '>-\n',
  '? ',
  '\u0000',
  '\uFEFF',
  'é',
  '😀',
  '\r',
  'kind: nvml',
  'kind: cgminr',
  'port: 80a',
  'name: gpu-rig-01',
  'rigs:',
  'sources: []',
  '999999999999999999999',
];

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(
    ([at, len]): Mutation =>
      (t) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + t.slice(i + len);
      },
  ),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }))).map(
    ([at, s]): Mutation =>
      (t) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + s + t.slice(i);
      },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (t) => {
        const lines = t.split('\n');
        const i = a % lines.length;
        const j = b % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        return lines.join('\n');
      },
  ),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(
    ([a, shift]): Mutation =>
      (t) => {
        const lines = t.split('\n');
        const i = a % lines.length;
        lines[i] = shift >= 0 ? ' '.repeat(shift) + lines[i] : lines[i].slice(-shift);
        return lines.join('\n');
      },
  ),
  fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(
    ([a, v]): Mutation =>
      (t) => {
        const lines = t.split('\n');
        const i = a % lines.length;
        const colon = lines[i].indexOf(': ');
        if (colon >= 0) lines[i] = `${lines[i].slice(0, colon + 2)}${JSON.stringify(v)}`;
        return lines.join('\n');
      },
  ),
);

test('mutations of rigtune.example.yaml load or raise ConfigError, never anything else', () => {
  loadsOrExplains(EXAMPLE); // the unmutated file loads
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
      loadsOrExplains(mutations.reduce((t, m) => m(t), EXAMPLE));
    }),
    { seed: 20240604, numRuns: 600 },
  );
});

test('random YAML documents load or raise ConfigError', () => {
  const doc = fc.dictionary(
    fc.constantFrom('rigs', 'http', 'sampling', 'defaults', 'sinks', 'data_dir', 'other'),
    fc.jsonValue({ maxDepth: 4 }),
  );
  fc.assert(
    fc.property(doc, (d) => {
      loadsOrExplains(stringify(d));
    }),
    { seed: 7, numRuns: 400 },
  );
});

test('random rigs with random sources load or raise ConfigError', () => {
  const sourceArb = fc.record(
    {
      kind: fc.constantFrom('nvml', 'cgminer', 'xmrig', 'stratum', 'http-json', 'nvidia-smi', 'bogus'),
      host: fc.oneof(fc.constant('10.0.0.1'), fc.string()),
      port: fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.string()),
      url: fc.constantFrom('http://127.0.0.1:1', 'ftp://x', '${ENV:X}', ''),
    },
    { requiredKeys: ['kind'] },
  );
  const rigArb = fc.record({
    name: fc.oneof(fc.constant('r'), fc.string()),
    sources: fc.array(sourceArb, { maxLength: 3 }),
  });
  fc.assert(
    fc.property(fc.array(rigArb, { maxLength: 4 }), (rigs) => {
      loadsOrExplains(stringify({ rigs }));
    }),
    { seed: 11, numRuns: 300 },
  );
});
