// The resolved values of valid files: defaults, threshold layers, sinks, environment values, and
// immutability. Error paths are in parse-errors.test.ts.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${ENV:NAME} is config syntax, not a template.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValkeyOptionsSchema as ValkeySinkOptionsSchema } from '../sinks/valkey/options.ts';
import { parseConfigText } from './parse.ts';
import { DEFAULT_THRESHOLDS } from './scorer-settings.ts';

const FILE = 'rigtune.yaml';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const NVML_RIG = lines('rigs:', '  - name: a', '    sources: [{kind: nvml}]');

describe('valid files', () => {
  test('a minimal file gets every default', () => {
    const c = parseConfigText(NVML_RIG, FILE, {});
    assert.equal(c.file, FILE);
    assert.equal(c.dataDir, './data');
    assert.deepEqual(c.http, { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(c.control, {
      journalDir: './data/journal',
      tokenEnv: null,
      token: null,
      killSwitch: false,
    });
    assert.deepEqual(c.sampling, {
      intervalMs: 1000,
      burstIntervalMs: 200,
      burstDurationMs: 30000,
      timeoutMs: 5000,
    });
    assert.equal(c.sinks.valkey, null);
    assert.equal(c.sinks.prometheus.enabled, true);
    assert.equal(c.sinks.parquet.data_dir, './data');
    assert.equal(c.sinks.audit.dir, './data/audit');
    assert.equal(c.rigs.length, 1);
    const rig = c.rigs[0];
    assert.equal(rig.name, 'a');
    assert.equal(rig.autotune, 'advise');
    assert.equal(rig.actuator, null);
    assert.equal(rig.autotuneOptions.max_step.power_limit_w, 25);
    assert.deepEqual(rig.labels, {});
    assert.deepEqual(rig.sources, [{ kind: 'nvml', options: { interval_ms: 1000, pcie_throughput: true } }]);
    assert.equal(rig.scorer.windowBits, DEFAULT_THRESHOLDS.window_bits);
    assert.equal(rig.scorer.health.effDropFrac, DEFAULT_THRESHOLDS.health.eff_drop_frac);
    assert.deepEqual(rig.scorer.rupture, DEFAULT_THRESHOLDS.rupture);
    assert.deepEqual(rig.scorer, c.defaults);
  });

  test('the result is deeply frozen', () => {
    const c = parseConfigText(NVML_RIG, FILE, {});
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.rigs[0].sources[0].options));
    assert.ok(Object.isFrozen(c.rigs[0].scorer.health));
    assert.throws(() => {
      (c.http as { port: number }).port = 1;
    }, TypeError);
  });

  test('rig thresholds override defaults:, which override built-ins, key by key', () => {
    const c = parseConfigText(
      lines(
        'defaults:',
        '  window_bits: 63',
        '  health: {eff_drop_frac: 0.05, throttle_mask: 0x08}',
        '  kpi: {thermal_limits_c: {chip_c: 90}}',
        'rigs:',
        '  - name: a',
        '    sources: [{kind: nvml}]',
        '  - name: b',
        '    thresholds:',
        '      health: {eff_drop_frac: 0.1}',
        '      kpi: {thermal_limits_c: {core_c: null}}',
        '      rupture: {micro: 0.1}',
        '      changepoint: {hazard: 0.01}',
        '      channels: [power_w, efficiency_h_per_j]',
        '    sources: [{kind: nvml}]',
      ),
      FILE,
      {},
    );
    const [a, b] = c.rigs;
    assert.equal(a.scorer.windowBits, 63);
    assert.equal(a.scorer.health.effDropFrac, 0.05);
    assert.equal(a.scorer.health.throttleMask, 8);
    assert.deepEqual(a.scorer.kpi.thermal_limits_c, { core_c: 83, mem_c: 95, chip_c: 90 });
    assert.equal(b.scorer.windowBits, 63);
    assert.equal(b.scorer.health.effDropFrac, 0.1);
    assert.equal(b.scorer.health.hashrateDropFrac, 0.05);
    assert.deepEqual(b.scorer.kpi.thermal_limits_c, { core_c: null, mem_c: 95, chip_c: 90 });
    assert.equal(b.scorer.rupture.micro, 0.1);
    assert.equal(b.scorer.changepoint.hazard, 0.01);
    assert.equal(b.scorer.changepoint.warmup, 5);
    assert.deepEqual(b.scorer.channels, ['power_w', 'efficiency_h_per_j']);
  });

  test('sinks: valkey from url_env, spool and audit under data_dir, parquet dir kept when given', () => {
    const c = parseConfigText(
      lines(
        'data_dir: /var/lib/rigtune',
        'sinks:',
        '  valkey: {url_env: VK}',
        '  parquet: {data_dir: /srv/history, enabled: false}',
        '  audit: {fsync_interval_ms: 0}',
        NVML_RIG,
      ),
      FILE,
      { VK: 'redis://:pw@10.0.0.5:6379/0' },
    );
    const valkey = c.sinks.valkey;
    assert.ok(valkey !== null);
    assert.equal(valkey.url, 'redis://:pw@10.0.0.5:6379/0');
    assert.equal(valkey.url_env, 'VK');
    assert.equal(valkey.key_prefix, 'telemetry');
    assert.equal(valkey.stream_max_len, 20000);
    assert.equal(valkey.spool_dir, '/var/lib/rigtune/spool/valkey');
    // The resolved section is exactly what the valkey sink itself accepts (config composes its schema).
    assert.equal(ValkeySinkOptionsSchema.safeParse(valkey).success, true);
    assert.equal(c.sinks.parquet.data_dir, '/srv/history');
    assert.equal(c.sinks.parquet.enabled, false);
    assert.equal(c.sinks.audit.dir, '/var/lib/rigtune/audit');
    assert.equal(c.sinks.audit.fsync_interval_ms, 0);
  });

  test('${ENV:NAME} fills any string, http.token_env and { env } references are read', () => {
    const c = parseConfigText(
      lines(
        'http: {host: "${ENV:BIND}", token_env: TOKEN}',
        'rigs:',
        '  - name: a',
        '    sources:',
        '      - kind: xmrig',
        '        url: "http://${ENV:MINER}:8080"',
        '        token: {env: XMRIG}',
      ),
      FILE,
      { BIND: '0.0.0.0', TOKEN: 't0k-0123456789abcdef', MINER: '10.0.0.9', XMRIG: 'x' },
    );
    assert.equal(c.http.host, '0.0.0.0');
    assert.equal(c.control.token, 't0k-0123456789abcdef');
    const src = c.rigs[0].sources[0];
    assert.equal(src.kind, 'xmrig');
    if (src.kind === 'xmrig') {
      assert.equal(src.options.url, 'http://10.0.0.9:8080');
      assert.deepEqual(src.options.token, { env: 'XMRIG' });
    }
  });
});
