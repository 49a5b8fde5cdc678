// Every error path of the config loader with its exact file:line:column and wording: YAML syntax,
// types, unknown keys and kinds, duplicates, environment, ranges, rules between keys, limits.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { ConfigError, formatIssue } from './config-error.ts';
import type { Env } from './env.ts';
import { parseConfigText } from './parse.ts';

const FILE = 'rigtune.yaml';

/** The issues of `text` as printed lines; fails when the text is valid. */
function issues(text: string, env: Env = {}): string[] {
  try {
    parseConfigText(text, FILE, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    assert.equal(err.code, 'RT_CONFIG_INVALID');
    return err.issues.map(formatIssue);
  }
  assert.fail('expected the config to be rejected');
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const NVML_RIG = lines('rigs:', '  - name: a', '    sources: [{kind: nvml}]');

describe('errors name file:line:column and what was expected', () => {
  test('YAML syntax errors', () => {
    assert.deepEqual(issues(lines('rigs:', '  - name: a', '    sources: [')), [
      'rigtune.yaml:4:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    assert.deepEqual(issues(lines('rigs: []', 'rigs: []')), [
      'rigtune.yaml:2:1: YAML syntax: Map keys must be unique',
    ]);
    assert.deepEqual(issues(lines('a: 1', '---', 'b: 2')).length, 1);
  });

  test('empty file, scalar, list at the top', () => {
    assert.deepEqual(issues(''), [
      'rigtune.yaml:1:1: the file is empty; expected a mapping with at least rigs',
    ]);
    assert.deepEqual(issues('# only a comment\n'), [
      'rigtune.yaml:1:1: the file is empty; expected a mapping with at least rigs',
    ]);
    assert.deepEqual(issues('hello'), ['rigtune.yaml:1:1: expected a mapping, got "hello"']);
    assert.deepEqual(issues('- a\n- b\n'), ['rigtune.yaml:1:1: expected a mapping, got a list of 2 items']);
  });

  test('wrong type in a source option', () => {
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources:',
      '      - kind: cgminer',
      '        host: 10.0.0.2',
      '        port: 80a',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:6:15: rigs[0].sources[0].port: expected an integer 1..65535, got "80a"',
    ]);
  });

  test('unknown keys name the key and suggest the closest known one', () => {
    const text = lines(
      'htpp:',
      '  port: 1',
      'sampling:',
      '  burst: 100',
      'rigs:',
      '  - name: a',
      '    sources:',
      '      - kind: cgminer',
      '        hots: 1.2.3.4',
      '        host: 1.2.3.4',
      '    treshold: {}',
      '    zzz: 1',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:1:1: htpp: unknown key "htpp"; did you mean "http"?',
      'rigtune.yaml:4:3: sampling.burst: unknown key "burst"; did you mean "burst_interval_ms"?',
      'rigtune.yaml:9:9: rigs[0].sources[0].hots: unknown key "hots"; did you mean "host"?',
      'rigtune.yaml:11:5: rigs[0].treshold: unknown key "treshold"; did you mean "thresholds"?',
      'rigtune.yaml:12:5: rigs[0].zzz: unknown key "zzz"; known keys: name, sources, thresholds, autotune, optimizer, actuator, labels',
    ]);
  });

  test('unknown keys deep in thresholds and sinks', () => {
    const text = lines(
      'defaults:',
      '  health: {eff_drop: 0.1}',
      'sinks:',
      '  parquet: {compresion: snappy}',
      NVML_RIG,
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:2:12: defaults.health.eff_drop: unknown key "eff_drop"; did you mean "eff_drop_frac"?',
      'rigtune.yaml:4:13: sinks.parquet.compresion: unknown key "compresion"; did you mean "compression"?',
    ]);
  });

  test('unknown source kind lists the known ones; bad entries', () => {
    const known = 'nvml, nvidia-smi, cgminer, xmrig, lolminer, trex, gminer, stratum, http-json';
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources:',
      '      - kind: cgminr',
      '        host: x',
      '      - kind: foo',
      '      - 3',
      '      - host: x',
      '      - kind: 7',
    );
    assert.deepEqual(issues(text), [
      `rigtune.yaml:4:15: rigs[0].sources[0].kind: unknown source kind "cgminr" (did you mean "cgminer"?); known kinds: ${known}`,
      `rigtune.yaml:6:15: rigs[0].sources[1].kind: unknown source kind "foo"; known kinds: ${known}`,
      'rigtune.yaml:7:9: rigs[0].sources[2]: expected a mapping of kind and its options, got 3',
      `rigtune.yaml:8:9: rigs[0].sources[3]: missing "kind"; expected one of ${known}`,
      `rigtune.yaml:9:15: rigs[0].sources[4].kind: expected a source kind, got 7; known kinds: ${known}`,
    ]);
  });

  test('duplicate rig names point at the second one', () => {
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources: [{kind: nvml}]',
      '  - name: a',
      '    sources: [{kind: nvml}]',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:4:11: rigs[1].name: duplicate rig name "a" (also rigs[0])',
    ]);
  });

  test('missing environment variables name the variable and the place', () => {
    const text = lines(
      'http:',
      '  host: "${ENV:BIND}"',
      '  token_env: API_TOKEN',
      'sinks:',
      '  valkey: {url_env: VALKEY_URL}',
      'rigs:',
      '  - name: a',
      '    sources:',
      '      - kind: gminer',
      '        url: "http://${ENV:MINER}:1"',
      '      - kind: xmrig',
      '        url: http://127.0.0.1:1',
      '        token: {env: XMRIG_TOKEN}',
    );
    assert.deepEqual(issues(text, { MINER: '' }), [
      'rigtune.yaml:2:9: http.host: environment variable BIND is not set (referenced as ${ENV:BIND})',
      'rigtune.yaml:3:14: http.token_env: environment variable API_TOKEN is not set',
      'rigtune.yaml:5:21: sinks.valkey.url_env: environment variable VALKEY_URL is not set',
      'rigtune.yaml:10:14: rigs[0].sources[0].url: environment variable MINER is not set (referenced as ${ENV:MINER})',
      'rigtune.yaml:13:22: rigs[0].sources[1].token.env: environment variable XMRIG_TOKEN is not set',
    ]);
  });

  test('malformed ${ENV:…} references', () => {
    const text = lines('http:', '  host: "${ENV:1X}"', NVML_RIG);
    assert.deepEqual(issues(text), [
      'rigtune.yaml:2:9: http.host: bad environment reference ${ENV:1X}: expected ${ENV:NAME}, NAME of letters, digits and _',
    ]);
    assert.deepEqual(issues(lines('data_dir: "${ENV:X"', NVML_RIG)), [
      'rigtune.yaml:1:11: data_dir: unterminated ${ENV:NAME} reference: expected a closing }',
    ]);
  });

  test('out-of-range values and rules between keys', () => {
    const text = lines(
      'sampling:',
      '  interval_ms: 500',
      '  burst_interval_ms: 600',
      'http: {port: 70000}',
      'defaults:',
      '  health: {eff_drop_frac: 2}',
      '  changepoint: {hazard: 0}',
      'rigs:',
      '  - name: a',
      '    thresholds: {rupture: {macro: 0.1}}',
      '    sources: [{kind: cgminer, host: h, retries: 11}]',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:3:22: sampling.burst_interval_ms: expected at most interval_ms (500), got 600',
      'rigtune.yaml:4:14: http.port: expected an integer 0..65535, got 70000',
      'rigtune.yaml:6:27: defaults.health.eff_drop_frac: expected a number 0..1, got 2',
      'rigtune.yaml:7:25: defaults.changepoint.hazard: expected a number in (0, 1), got 0',
      'rigtune.yaml:11:49: rigs[0].sources[0].retries: expected an integer 0..10, got 11',
    ]);
  });

  test('threshold rules are checked after merging and blame the key that was set', () => {
    const text = lines(
      'defaults:',
      '  rupture: {micro: 0.5}',
      'rigs:',
      '  - name: a',
      '    sources: [{kind: nvml}]',
      '  - name: b',
      '    thresholds: {rupture: {meso: 0.6, macro: 0.55}}',
      '    sources: [{kind: nvml}]',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:2:20: defaults.rupture.micro: expected rupture.micro ≤ rupture.meso, got micro 0.5 and meso 0.4',
      'rigtune.yaml:7:46: rigs[1].thresholds.rupture.macro: expected rupture.meso ≤ rupture.macro, got meso 0.6 and macro 0.55',
    ]);
  });

  test('missing required keys, patterns, enums with suggestion, labels', () => {
    const text = lines(
      'rigs:',
      '  - sources: []',
      '  - name: "bad name"',
      '    sources: [{kind: cgminer}]',
      '    autotune: automatic',
      '    labels: {Site: x, ok: 3}',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:2:5: rigs[0].name: missing required key; expected a string matching ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      'rigtune.yaml:2:14: rigs[0].sources: expected a list with at least 1 item, got an empty list',
      'rigtune.yaml:3:11: rigs[1].name: expected a rig name of 1..64 letters, digits, . _ - (starting with a letter or digit), got "bad name"',
      'rigtune.yaml:4:15: rigs[1].sources[0].host: missing required key; expected a non-empty string',
      'rigtune.yaml:5:15: rigs[1].autotune: expected one of "off", "advise", "auto" or a mapping, got "automatic"; did you mean "auto"?',
      'rigtune.yaml:6:14: rigs[1].labels.Site: bad key "Site": expected a label name of a-z, 0-9, _ (not starting with a digit)',
      'rigtune.yaml:6:27: rigs[1].labels.ok: expected a string of at most 256 characters, got 3',
    ]);
    assert.deepEqual(issues('data_dir: x\n'), [
      'rigtune.yaml:1:1: rigs: missing required key; expected a list of mappings with at least 1 item',
    ]);
  });

  test('an empty value and a bad channel name', () => {
    assert.deepEqual(issues(lines('http:', '  port:', NVML_RIG)), [
      'rigtune.yaml:2:3: http.port: expected an integer 0..65535, got an empty value',
    ]);
    const bad = issues(lines('defaults:', '  channels: [power_w, powr_w]', NVML_RIG));
    assert.equal(bad.length, 1);
    assert.match(
      bad[0],
      /^rigtune\.yaml:2:23: defaults\.channels\[1\]: expected one of "hashrate_5s", .*got "powr_w"; did you mean "power_w"\?$/,
    );
  });

  test("a source's own refinements keep their message and place", () => {
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources:',
      '      - kind: http-json',
      '        url: http://x',
      '        mappings:',
      '          - {path: "$.a", field: power_w, unit: MH/s}',
    );
    assert.deepEqual(issues(text), [
      "rigtune.yaml:7:49: rigs[0].sources[0].mappings[0].unit: mappings[0]: unit 'MH/s' does not fit field 'power_w' (use one of W, kW)",
    ]);
  });

  test('valkey needs exactly one of url and url_env', () => {
    assert.deepEqual(issues(lines('sinks:', '  valkey: {key_prefix: x}', NVML_RIG)), [
      'rigtune.yaml:2:11: sinks.valkey: expected exactly one of url or url_env',
    ]);
  });

  test('aliases are followed; an alias bomb is an error, not a hang', () => {
    assert.deepEqual(issues(lines('x: &a [1]', 'rigs: *a')).slice(1), [
      'rigtune.yaml:1:8: rigs[0]: expected a mapping, got 1',
    ]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`,
      );
    const found = issues(lines(...bomb));
    assert.equal(found.length, 1);
    assert.match(found[0], /^rigtune\.yaml:1:1: YAML: /);
  });

  test('many problems are reported together; the message prints at most 20', () => {
    const rigs = Array.from(
      { length: 25 },
      (_, i) => `  - {name: r${i}, sources: [{kind: nvml, interval_ms: 1}]}`,
    );
    try {
      parseConfigText(lines('rigs:', ...rigs), FILE, {});
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.issues.length, 25);
      const printed = err.message.split('\n');
      assert.equal(printed[0], 'rigtune.yaml: 25 problems:');
      assert.equal(
        printed[1],
        '  rigtune.yaml:2:52: rigs[0].sources[0].interval_ms: expected an integer ≥ 100, got 1',
      );
      assert.equal(printed.length, 1 + 20 + 1);
      assert.equal(printed[21], '  … and 5 more');
      assert.deepEqual(err.where, {
        file: FILE,
        line: 2,
        column: 52,
        field: 'rigs[0].sources[0].interval_ms',
      });
      assert.ok(isRigtuneError(err, 'RT_CONFIG_INVALID'));
      assert.ok(err.describe().endsWith('[RT_CONFIG_INVALID]'));
    }
  });

  test('a file over the size bound is refused before parsing', () => {
    assert.deepEqual(issues(`# ${'x'.repeat(1 << 20)}\n`), [
      'rigtune.yaml:1:1: file is longer than 1048576 characters',
    ]);
  });
});
