// End to end: `rigtune sim` writes a small fleet with known faults (in process), `rigtune backtest`
// replays it through scoring and advisory: faults are detected, every file and JSON key is there.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import type { BacktestReport } from '../study/backtest/index.ts';
import { type BacktestFlags, runBacktestCommand } from './backtest.ts';
import { DEFAULT_START, runSim } from './sim.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-backtest-'));
const sim = join(dir, 'sim');
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  mkdirSync(sim);
  await runSim(
    {
      rigs: '2',
      gpusPerRig: '2',
      asics: '0',
      gpuModel: 'mixed',
      algo: 'ethash',
      duration: '40m',
      step: '1s',
      seed: '5',
      start: DEFAULT_START,
      ambient: '25',
      faults: 'fan_failure@rig1/gpu0@10m,psu_sag@rig0@20m+2m',
      out: join(sim, 'fleet.csv'),
      quiet: true,
    },
    {},
  );
});

const FLAGS: BacktestFlags = {
  data: [sim],
  events: [sim],
  config: [],
  split: '0.5',
  splitBy: 'rig',
  seed: '1',
  before: '60',
  after: '300',
  level: 'micro',
  quiet: true,
};

async function backtest(flags: Partial<BacktestFlags>, out: string) {
  const lines: string[] = [];
  const result = await runBacktestCommand(
    { ...FLAGS, ...flags, out },
    { stdout: { write: (t: string) => lines.push(t) } },
    0,
  );
  const text = lines.join('');
  const last = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '');
  return { ...result, text, last };
}

const KEYS = [
  'configs',
  'traces',
  'devices',
  'device_days',
  'labels',
  'detection_rate',
  'lead_time_median_s',
  'false_alarms_per_device_day',
  'chosen',
];

test('one configuration on all data: the known faults are detected; JSON, text and HTML complete', async () => {
  const out = join(dir, 'one');
  const { last, text } = await backtest({}, out);
  assert.deepEqual(Object.keys(last), KEYS);
  assert.equal(last.configs, 1);
  assert.equal(last.traces, 1);
  assert.equal(last.devices, 4);
  assert.equal(last.labels, 2);
  assert.ok(last.detection_rate > 0, `detection rate ${last.detection_rate}`);
  assert.equal(typeof last.lead_time_median_s, 'number');
  assert.equal(typeof last.false_alarms_per_device_day, 'number');
  assert.equal(last.chosen, null);
  assert.ok(Math.abs(last.device_days - (4 * 2399) / 86_400) < 1e-3);
  const report = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8')) as BacktestReport;
  const f = report.headline.figures;
  for (const level of ['any', 'micro', 'meso', 'macro', 'advice'] as const) {
    const x = f.levels[level];
    assert.equal(x.detection.n, 2);
    assert.ok(x.false_alarms.ci95 !== null && x.false_alarms.device_days > 0);
  }
  assert.equal(f.levels.micro.detection.rate, last.detection_rate);
  assert.deepEqual(Object.keys(f.label_kinds).sort(), ['fan_failure', 'psu_sag']);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.startsWith('<!doctype html>') && !html.includes('<script') && html.includes('fan_failure'));
  assert.match(text, /Configuration built-in on all data/);
});

test('a sweep picks on the validation rig and reports the pick on the test rig', async () => {
  const { last, report, text } = await backtest(
    { sweep: 'changepoint.hazard=0.001,0.01' },
    join(dir, 'sweep'),
  );
  assert.equal(last.configs, 2);
  assert.equal(typeof last.chosen, 'string');
  assert.deepEqual([report.split?.validation_units.length, report.split?.test_units.length], [1, 1]);
  assert.equal(report.headline.part, 'test');
  assert.equal(report.headline.figures.devices, 2);
  assert.ok(report.candidates.every((c) => c.part === 'validation' && c.figures.devices === 2));
  assert.match(text, /Candidates on VALIDATION/);
});

test('bad label file: the error names the file and line', async () => {
  const bad = join(dir, 'bad.labels.csv');
  writeFileSync(
    bad,
    'rig,device,start,end,kind\nrig0,gpu0,2026-11-01T12:10:00Z,,fan\nrig0,gpu0,not-a-time,,fan\n',
  );
  await assert.rejects(
    backtest({ events: [bad] }, join(dir, 'bad')),
    (e) => isRigtuneError(e, 'RT_INPUT_TIME') && e.where.file === bad && e.where.line === 3,
  );
  await assert.rejects(backtest({ events: [join(dir, 'missing.ndjson')] }, join(dir, 'bad')), (e) =>
    isRigtuneError(e, 'RT_INPUT_NOT_FOUND'),
  );
  await assert.rejects(
    backtest({ split: '1.5', sweep: 'changepoint.hazard=0.001,0.01' }, join(dir, 'bad')),
    (e) => isRigtuneError(e, 'RT_CLI_USAGE'),
  );
});
