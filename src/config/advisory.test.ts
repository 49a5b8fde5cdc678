// The `advisory` block of `defaults:` and `rigs[].thresholds:`: merged per rig into RigConfig.advisory,
// unknown keys and trigger/clear order errors with file:line:column, and reload diffs by part.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADVISORY_OPTIONS } from '../control/advisory/options.ts';
import { ConfigError, formatIssue } from './config-error.ts';
import { diffConfig } from './diff.ts';
import { parseConfigText } from './parse.ts';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const parse = (text: string) => parseConfigText(text, 'rigtune.yaml', {});

function issues(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues.map(formatIssue);
  }
  assert.fail('expected the config to be rejected');
}

const FILE = lines(
  'defaults:',
  '  advisory:',
  '    ttl_ms: 600000',
  '    rules:',
  '      check_pool: {latency_trigger_ms: 400, latency_clear_ms: 200}',
  'rigs:',
  '  - name: a',
  '    sources: [{kind: nvml}]',
  '  - name: b',
  '    sources: [{kind: nvml}]',
  '    thresholds:',
  '      advisory:',
  '        thermal: {core_hot_c: 75}',
  '        rules:',
  '          raise_fan: {enabled: false}',
);

test('built-in defaults, then defaults.advisory, then the rig’s own thresholds.advisory', () => {
  const config = parse(FILE);
  const [a, b] = config.rigs;
  assert.equal(a.advisory.ttl_ms, 600_000);
  assert.equal(a.advisory.rules.check_pool.latency_trigger_ms, 400);
  assert.equal(
    a.advisory.rules.check_pool.reject_trigger,
    DEFAULT_ADVISORY_OPTIONS.rules.check_pool.reject_trigger,
  );
  assert.equal(a.advisory.rules.raise_fan.enabled, true);
  assert.equal(a.advisory.thermal.core_hot_c, 80);
  assert.equal(b.advisory.ttl_ms, 600_000);
  assert.equal(b.advisory.thermal.core_hot_c, 75);
  assert.equal(b.advisory.thermal.mem_hot_c, 104);
  assert.equal(b.advisory.rules.raise_fan.enabled, false);
  assert.equal(b.advisory.rules.raise_fan.fan_max_pct, 90);
  const plain = parse(lines('rigs:', '  - name: a', '    sources: [{kind: nvml}]'));
  assert.deepEqual(plain.rigs[0].advisory, DEFAULT_ADVISORY_OPTIONS);
});

test('unknown advisory keys are errors with line and column', () => {
  const text = lines(
    'rigs:',
    '  - name: a',
    '    sources: [{kind: nvml}]',
    '    thresholds:',
    '      advisory:',
    '        rules:',
    '          raise_fan: {enabled: true, step: 5}',
  );
  assert.deepEqual(issues(text), [
    'rigtune.yaml:7:38: rigs[0].thresholds.advisory.rules.raise_fan.step: unknown key "step"; did you mean "step_pct"?',
  ]);
});

test('a clear threshold past its trigger is reported where it was written', () => {
  const text = lines(
    'defaults:',
    '  advisory:',
    '    rules:',
    '      check_pool: {latency_trigger_ms: 400}',
    'rigs:',
    '  - name: a',
    '    sources: [{kind: nvml}]',
    '    thresholds:',
    '      advisory: {rules: {check_pool: {latency_clear_ms: 500}}}',
  );
  assert.deepEqual(issues(text), [
    'rigtune.yaml:9:57: rigs[0].thresholds.advisory.rules.check_pool.latency_clear_ms: expected rules.check_pool.latency_clear_ms ≤ latency_trigger_ms (400), got 500',
  ]);
});

test('a changed advisory block shows as the rig part advisory', () => {
  const before = parse(FILE);
  const after = parse(FILE.replace('core_hot_c: 75', 'core_hot_c: 72'));
  const d = diffConfig(before, after);
  assert.deepEqual(d.rigsChanged, [{ name: 'b', parts: ['advisory'] }]);
});
