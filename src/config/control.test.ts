// The control parts of rigtune.yaml: `autotune:` as a mode or a mapping of guard rails, `actuator:`
// checked by its kind, `control:` (journal, API token from the file or the environment, kill switch),
// each error with file:line:column, and redaction of the token.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ConfigError, formatIssue } from './config-error.ts';
import { diffConfig } from './diff.ts';
import type { Env } from './env.ts';
import { parseConfigText } from './parse.ts';
import { redactConfig } from './redact.ts';

const FILE = 'rigtune.yaml';
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const TOKEN = 'tok-0123456789abcdef';

function issues(text: string, env: Env = {}): string[] {
  try {
    parseConfigText(text, FILE, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    return err.issues.map(formatIssue);
  }
  assert.fail('expected the config to be rejected');
}

const TUNED = lines(
  'data_dir: /var/lib/rigtune',
  'control: {api_token_env: RT_TOKEN, kill_switch: true}',
  'rigs:',
  '  - name: gpu-01',
  '    sources: [{kind: nvml}]',
  '    actuator: {kind: nvml, setpoints: [power_limit_w]}',
  '    autotune:',
  '      mode: auto',
  '      bounds: {power_limit_w: {min: 250, max: 350}}',
  '      max_step: {power_limit_w: 10}',
  '      min_interval_ms: 900000',
  '      safe: {power_limit_w: 300}',
  '  - name: s19',
  '    sources: [{kind: cgminer, host: 10.0.0.7}]',
  '    actuator: {kind: luxos, host: 10.0.0.7}',
  '    autotune: advise',
);

describe('valid control configuration', () => {
  test('autotune mapping, actuators and the control section resolve', () => {
    const c = parseConfigText(TUNED, FILE, { RT_TOKEN: TOKEN });
    assert.deepEqual(c.control, {
      journalDir: '/var/lib/rigtune/journal',
      tokenEnv: 'RT_TOKEN',
      token: TOKEN,
      killSwitch: true,
    });
    const [gpu, asic] = c.rigs;
    assert.equal(gpu.autotune, 'auto');
    assert.deepEqual(gpu.autotuneOptions.bounds, { power_limit_w: { min: 250, max: 350 } });
    assert.equal(gpu.autotuneOptions.max_step.power_limit_w, 10);
    assert.equal(gpu.autotuneOptions.max_step.fan_pct, 10, 'defaults fill the rest');
    assert.equal(gpu.autotuneOptions.min_interval_ms, 900_000);
    assert.equal(gpu.autotuneOptions.safe.power_limit_w, 300);
    assert.deepEqual(gpu.actuator, { kind: 'nvml', options: { setpoints: ['power_limit_w'] } });
    assert.equal(asic.autotune, 'advise');
    assert.deepEqual(asic.actuator, {
      kind: 'luxos',
      options: { host: '10.0.0.7', port: 4028, timeout_ms: 3000, profile_scope: 'machine' },
    });
    const printed = JSON.stringify(redactConfig(c));
    assert.doesNotMatch(printed, new RegExp(TOKEN));
    assert.match(printed, /\$\{ENV:RT_TOKEN\}/);
  });

  test('a literal token, the old http.token_env, an explicit journal_dir; literal tokens are redacted', () => {
    const lit = parseConfigText(
      lines(`control: {api_token: ${TOKEN}, journal_dir: ./j}`, 'rigs: [{name: a, sources: [{kind: nvml}]}]'),
      FILE,
      {},
    );
    assert.deepEqual(lit.control, { journalDir: './j', tokenEnv: null, token: TOKEN, killSwitch: false });
    assert.doesNotMatch(JSON.stringify(redactConfig(lit)), new RegExp(TOKEN));
    const old = parseConfigText(
      lines('http: {token_env: T}', 'rigs: [{name: a, sources: [{kind: nvml}]}]'),
      FILE,
      { T: TOKEN },
    );
    assert.deepEqual([old.control.token, old.control.tokenEnv], [TOKEN, 'T']);
  });

  test('diffConfig names actuator, autotune options and control changes', () => {
    const a = parseConfigText(TUNED, FILE, { RT_TOKEN: TOKEN });
    const b = parseConfigText(
      TUNED.replace('max_step: {power_limit_w: 10}', 'max_step: {power_limit_w: 15}')
        .replace('{kind: luxos, host: 10.0.0.7}', '{kind: luxos, host: 10.0.0.8}')
        .replace('kill_switch: true', 'kill_switch: false'),
      FILE,
      { RT_TOKEN: TOKEN },
    );
    const d = diffConfig(a, b);
    assert.deepEqual(d.rigsChanged, [
      { name: 'gpu-01', parts: ['autotuneOptions'] },
      { name: 's19', parts: ['actuator'] },
    ]);
    assert.equal(d.controlChanged, true);
  });
});

/** rigtune.example.yaml with its commented control examples switched on (its `autotune: advise` goes). */
function exampleWithControl(): string {
  const text = readFileSync(new URL('../../rigtune.example.yaml', import.meta.url), 'utf8');
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const key = /^(\s*)# ((?:autotune|actuator|journal_dir|kill_switch):.*)$/.exec(line);
    const more = /^(\s*)# ( {2}.*)$/.exec(line);
    if (key !== null) out.push(`${key[1]}${key[2]}`);
    else if (more !== null && inBlock) out.push(`${more[1]}${more[2]}`);
    else if (line.trim() !== 'autotune: advise') out.push(line);
    inBlock = key !== null || (more !== null && inBlock);
  }
  return out.join('\n');
}

test("rigtune.example.yaml's commented control examples are valid", () => {
  const c = parseConfigText(exampleWithControl(), FILE, {
    RIGTUNE_API_TOKEN: TOKEN,
    RIGTUNE_XMRIG_TOKEN: 'x',
  });
  const [gpu, s19] = c.rigs;
  assert.deepEqual([gpu.autotune, gpu.actuator?.kind, s19.actuator?.kind], ['auto', 'nvml', 'luxos']);
  assert.equal(gpu.autotuneOptions.max_actions_per_hour, 4);
  assert.deepEqual(c.control, {
    journalDir: './data/journal',
    tokenEnv: 'RIGTUNE_API_TOKEN',
    token: TOKEN,
    killSwitch: false,
  });
});

describe('control errors carry file:line:column', () => {
  test('bad autotune options and modes', () => {
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources: [{kind: nvml}]',
      '    actuator: {kind: sim}',
      '    autotune:',
      '      mode: atuo',
      '      bounds: {power_limit_w: {min: 300, max: 200}}',
      '      max_step: {power_limit_w: -5}',
      '      cooldwn_ms: 5',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:6:13: rigs[0].autotune.mode: expected one of "off", "advise", "auto", got "atuo"; did you mean "auto"?',
      'rigtune.yaml:7:31: rigs[0].autotune.bounds.power_limit_w: min must not exceed max',
      'rigtune.yaml:8:33: rigs[0].autotune.max_step.power_limit_w: expected a number > 0, got -5',
      'rigtune.yaml:9:7: rigs[0].autotune.cooldwn_ms: unknown key "cooldwn_ms"; did you mean "cooldown_ms"?',
    ]);
  });

  test('auto without an actuator; unknown actuator kinds and options', () => {
    const text = lines(
      'rigs:',
      '  - name: a',
      '    sources: [{kind: nvml}]',
      '    autotune: auto',
      '  - name: b',
      '    sources: [{kind: nvml}]',
      '    autotune: {mode: auto}',
      '  - name: c',
      '    sources: [{kind: nvml}]',
      '    actuator: {kind: braiinz, url: "http://10.0.0.1"}',
      '  - name: d',
      '    sources: [{kind: nvml}]',
      '    actuator: {kind: luxos, hots: 10.0.0.1}',
      '  - name: e',
      '    sources: [{kind: nvml}]',
      '    actuator: nvml',
      '  - name: f',
      '    sources: [{kind: nvml}]',
      '    actuator: {kind: braiins, url: "http://10.0.0.1", password: {env: BOS_PW}}',
    );
    assert.deepEqual(issues(text), [
      'rigtune.yaml:4:15: rigs[0].autotune: autotune mode auto needs an `actuator:` on the rig (kind sim, nvml, braiins or luxos); use advise to get suggestions only',
      'rigtune.yaml:7:22: rigs[1].autotune.mode: autotune mode auto needs an `actuator:` on the rig (kind sim, nvml, braiins or luxos); use advise to get suggestions only',
      'rigtune.yaml:10:22: rigs[2].actuator.kind: unknown actuator kind "braiinz" (did you mean "braiins"?); known kinds: sim, nvml, braiins, luxos',
      'rigtune.yaml:13:15: rigs[3].actuator.host: missing required key; expected a non-empty string',
      'rigtune.yaml:13:29: rigs[3].actuator.hots: unknown key "hots"; did you mean "host"?',
      'rigtune.yaml:16:15: rigs[4].actuator: expected a mapping of kind and its options, got "nvml"',
      'rigtune.yaml:19:71: rigs[5].actuator.password.env: environment variable BOS_PW is not set',
    ]);
  });

  test('the control section: token twice, too short, unset; unknown keys', () => {
    const rig = 'rigs: [{name: a, sources: [{kind: nvml}]}]';
    assert.deepEqual(issues(lines(`control: {api_token: ${TOKEN}, api_token_env: T}`, rig), { T: TOKEN }), [
      'rigtune.yaml:1:59: control.api_token_env: give the control API token once: api_token or api_token_env, not both',
    ]);
    assert.deepEqual(
      issues(lines('http: {token_env: T}', 'control: {api_token_env: T}', rig), { T: TOKEN }),
      [
        'rigtune.yaml:1:19: http.token_env: the control API token is already set under control:; remove http.token_env (its older place)',
      ],
    );
    assert.deepEqual(issues(lines('control: {api_token: short}', rig)), [
      'rigtune.yaml:1:22: control.api_token: expected a token of at least 16 characters, got "short"',
    ]);
    assert.deepEqual(issues(lines('control: {api_token_env: T}', rig), { T: 'short' }), [
      'rigtune.yaml:1:26: control.api_token_env: environment variable T holds a token of 5 characters; at least 16 are needed',
    ]);
    assert.deepEqual(issues(lines('control: {api_token_env: T}', rig)), [
      'rigtune.yaml:1:26: control.api_token_env: environment variable T is not set',
    ]);
    assert.deepEqual(issues(lines('control: {killswitch: true}', rig)), [
      'rigtune.yaml:1:11: control.killswitch: unknown key "killswitch"; did you mean "kill_switch"?',
    ]);
  });
});
