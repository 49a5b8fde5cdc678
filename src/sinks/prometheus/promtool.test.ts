// Runs Prometheus's own linter (`promtool check metrics`, Debian package `prometheus`) over the
// rendered page of a small fleet with awkward names, null fields and every collector metric set.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fullBatch } from '../../../test/helpers/prometheus-fleet.ts';
import { create } from './index.ts';

const PROMTOOL = '/usr/bin/promtool';
const T0 = Date.UTC(2026, 2, 1);

test('promtool check metrics accepts the page', {
  skip: existsSync(PROMTOOL) ? false : `${PROMTOOL} missing: install the Debian package 'prometheus'`,
}, async () => {
  const sink = create({}, { clock: { nowMs: () => T0 } });
  sink.write(fullBatch('rig-1', T0, 3));
  const odd = fullBatch('farm "north"\\row\nB', T0, 2);
  sink.write({
    ...odd,
    snapshots: odd.snapshots.map((s) => ({ ...s, power_w: null, temp_core_c: null })),
    scores: odd.scores.map((s) => ({ ...s, sep_score: null, rupture_class: 'macro' as const })),
  });
  sink.recordSourcePoll('source.cgminer', false, 'timeout');
  sink.recordSinkBatches('valkey', 2);
  sink.recordSinkHealth('valkey', { ok: false, queued: 1, spooled: 2, dropped: 3, lastError: 'down' });
  sink.recordStageDuration('tick', 0.05);
  sink.recordOpsEvent('source.cgminer', 'RT_SOURCE_TIMEOUT');
  sink.recordOpsEvent('runtime', 'config_reloaded');
  const { body } = await sink.render();
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
  assert.equal(result.error, undefined);
  assert.equal(`${result.stdout}${result.stderr}`, '');
  assert.equal(result.status, 0);
  await sink.close();
});
