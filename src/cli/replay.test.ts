// `rigtune replay` on a simulated trace: at max speed through the service with the embedded store every
// device is scored, the API lists every rig, and the rupture events are exactly `rigtune score --events`'s.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { RuptureEvent } from '../core/scores.ts';
import { replayConfig, startReplay } from '../runtime/replay.ts';
import { MAX_SPEED } from '../runtime/replay-clock.ts';
import { CollectingSink } from '../runtime/replay-test-kit.ts';
import { scanTrace } from '../runtime/replay-trace.ts';
import { openTrace } from '../traces/index.ts';
import { parseSpeed } from './replay.ts';
import { runScore } from './score/run-score.ts';
import { runSim } from './sim.ts';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rigtune-replay-'));
const trace = join(dir, 'fleet.csv');

before(async () => {
  await runSim(
    {
      rigs: '2',
      gpusPerRig: '2',
      asics: '1',
      gpuModel: 'mixed',
      algo: 'ethash',
      duration: '10m',
      step: '1s',
      seed: '3',
      start: '2026-11-01T12:00:00Z',
      ambient: '25',
      faults: 'fan_failure@rig1/gpu0@4m,pool_latency@rig0@2m+2m',
      out: trace,
      quiet: true,
    },
    {},
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

function rigtune(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const key = (e: RuptureEvent) => `${e.rig}/${e.device}/${e.ts_detected}/${e.channels.join('+')}`;
const sorted = (events: readonly RuptureEvent[]) =>
  [...events].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

test('a max-speed replay scores every device and finds exactly the events of rigtune score', async () => {
  const scan = await scanTrace(await openTrace(trace));
  const collector = new CollectingSink();
  const replay = await startReplay({
    scan,
    speed: MAX_SPEED,
    config: replayConfig(join(dir, 'data'), 0),
    configThresholds: false,
    http: true,
    clock: { nowMs: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    logger: pino({ level: 'silent' }),
    env: {},
    version: 'test',
    extraSinks: [collector],
  });
  try {
    await replay.ended;
    const rigs = (await (await fetch(`${replay.address?.url}/api/rigs`)).json()) as {
      rigs: { rig: string; devices: number }[];
    };
    assert.deepEqual(
      rigs.rigs.map((r) => [r.rig, r.devices]),
      [...scan.rigs].map(([rig, devices]) => [rig, devices.length]),
      'the API serves every rig with all its devices',
    );
  } finally {
    await replay.stop();
  }
  const scored = new Set(collector.batches.flatMap((b) => b.scores.map((s) => `${s.rig}/${s.device}`)));
  assert.equal(scored.size, [...scan.rigs.values()].flat().length);
  assert.equal(collector.batches.flatMap((b) => b.scores).length, scan.records, 'every sample scored');
  const scoreEvents: RuptureEvent[] = [];
  const result = await runScore(
    trace,
    { events: true, ticks: false, ignoreUnknown: false },
    { stdout: { write: () => true }, onEvent: (e) => scoreEvents.push(e) },
  );
  assert.ok(result.events > 0, 'the faults make events');
  assert.deepEqual(sorted(collector.batches.flatMap((b) => b.events)), sorted(scoreEvents));
  assert.ok(readdirSync(join(dir, 'data')).includes('scores'), 'the Parquet history is written');
});

test('rigtune replay exits 0 after the trace with a summary; a bad file exits 1 naming file:line', async () => {
  const ok = await rigtune(['replay', trace, '--speed', 'max', '--no-http', '--data', join(dir, 'cli-data')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /replayed 4800 snapshots of 8 device\(s\) on 3 rig\(s\)/);
  assert.match(ok.stderr, /every sink flushed/);
  assert.ok(existsSync(join(dir, 'cli-data', 'audit')));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'ts,rig,device,power_w\n1793534400,r,d,200\n1793534401,r,d,2x0\n');
  const r = await rigtune(['replay', bad, '--no-http', '--data', join(dir, 'bad-data')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv:3:4: field 'power_w': .*\[RT_INPUT_PARSE\]/);
  assert.ok(!existsSync(join(dir, 'bad-data')), 'nothing is started for a bad file');
});

test('--speed takes a positive number, or 0 / max for as fast as possible', () => {
  assert.equal(parseSpeed('10'), 10);
  assert.equal(parseSpeed('0.5'), 0.5);
  assert.equal(parseSpeed('max'), MAX_SPEED);
  assert.equal(parseSpeed('0'), MAX_SPEED);
  for (const bad of ['-1', 'fast', '', 'Infinity'])
    assert.throws(() => parseSpeed(bad), { code: 'RT_CLI_USAGE' }, bad);
});
