// startFromConfig's source messages: a miner's expected reply format (the cgminer trailing NUL) is an
// info note, counted on /metrics, never a warning; read from the simulator's real CGMiner server.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { waitUntil } from '../../test/helpers/redis-server.ts';
import { parseConfigText } from '../config/index.ts';
import { Fleet } from '../sim/index.ts';
import { serveCgminer } from '../sim/serve/index.ts';
import { startFromConfig } from './from-config.ts';

interface LogLine {
  readonly level: number;
  readonly code?: string;
  readonly detail?: string;
  readonly msg: string;
}

test('expected cgminer reply formats are info notes (source_quirk), counted, never warnings', async () => {
  const fleet = new Fleet({ seed: 5, startMs: Date.UTC(2026, 10, 1), gpuRigs: 0, gpusPerRig: 1, asics: 1 });
  for (let i = 0; i < 5; i += 1) fleet.step(1000);
  const asic = await serveCgminer(fleet.rig('asic0'));
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-from-config-'));
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  const yaml = [
    `data_dir: ${JSON.stringify(dir)}`,
    'http: {host: 127.0.0.1, port: 0}',
    'sinks: {parquet: {enabled: false}, audit: {enabled: false}}',
    'rigs:',
    '  - name: s19',
    `    sources: [{kind: cgminer, host: 127.0.0.1, port: ${asic.port}}]`,
    '',
  ].join('\n');
  const running = await startFromConfig(parseConfigText(yaml, '<test>', {}), {
    clock: { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger,
    env: {},
    version: 'test',
  });
  try {
    await waitUntil(() => lines.some((l) => l.code === 'source_quirk'), 'a source_quirk note');
    const note = lines.find((l) => l.code === 'source_quirk');
    assert.equal(note?.level, 30, 'info');
    assert.match(note?.detail ?? '', /'trailing-nul' format, expected/);
    const warnings = lines.filter((l) => l.level >= 40);
    assert.deepEqual(warnings, [], 'no warning for an expected format');
    const metrics = await (await fetch(`${running.address.url}/metrics`)).text();
    assert.match(metrics, /rigtune_ops_events_total\{component="source.cgminer",code="source_quirk"\} [1-9]/);
  } finally {
    await running.stop();
    await asic.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
