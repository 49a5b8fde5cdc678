// `rigtune sim` end to end in a temp directory: the trace in each format reads back with openTrace,
// scores with `rigtune score`, is byte-identical under the same seed, and the events file is the truth.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { NUMERIC_FIELDS } from '../core/snapshot.ts';
import { openTrace, type TraceRecord } from '../traces/index.ts';
import { runScore } from './score/run-score.ts';
import { DEFAULT_START, runSim, type SimFlags } from './sim.ts';
import { eventsPathFor, traceFormatOf } from './sim-writers.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function flags(out: string, extra: Partial<SimFlags> = {}): SimFlags {
  return {
    rigs: '2',
    gpusPerRig: '2',
    asics: '1',
    gpuModel: 'mixed',
    algo: 'ethash',
    duration: '10m',
    step: '1s',
    seed: '1',
    start: DEFAULT_START,
    ambient: '25',
    faults: 'fan_failure@rig0/gpu1@2m,pool_latency@rig1@3m+2m*0.5,hashboard_dropout@asic0/board0@4m+1m',
    out: join(dir, out),
    ...extra,
  };
}

async function readAll(path: string): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of (await openTrace(path)).records()) out.push(r);
  return out;
}

test('CSV trace: snapshot-schema columns, one row per device per step, events file with the labels', async () => {
  const progress: number[] = [];
  const result = await runSim(flags('a.csv'), { onProgress: (done) => progress.push(done) });
  assert.equal(result.steps, 600);
  assert.equal(result.rows, 600 * 8);
  assert.equal(progress.at(-1), 600);
  const text = readFileSync(result.out, 'utf8');
  assert.equal(text.split('\n')[0], ['ts', 'rig', 'device', ...NUMERIC_FIELDS].join(','));
  const reader = await openTrace(result.out);
  assert.deepEqual(reader.numericColumns, [...NUMERIC_FIELDS]);
  const rows = await readAll(result.out);
  assert.equal(rows.length, 4800);
  assert.equal(rows[0].ts, Date.parse(DEFAULT_START));
  assert.equal(rows.at(-1)!.ts, Date.parse(DEFAULT_START) + 599_000);
  assert.equal(result.eventsOut, join(dir, 'a.events.ndjson'));
  const events = readFileSync(result.eventsOut, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    events.map((e) => [e.kind, e.rig, e.device]),
    [
      ['fan_failure', 'rig0', 'gpu1'],
      ['pool_latency', 'rig1', null],
      ['hashboard_dropout', 'asic0', 'board0'],
    ],
  );
  assert.deepEqual(Object.keys(events[0]), ['id', 'kind', 'rig', 'device', 'ts_start', 'ts_end', 'severity']);
  assert.equal(events[1].ts_end - events[1].ts_start, 120_000);
  assert.equal(events[1].severity, 0.5);
  // The fault shows in the trace: rig0/gpu1's fan reads 0 RPM from its start.
  const fan = rows.filter((r) => r.rig === 'rig0' && r.device === 'gpu1' && r.ts >= events[0].ts_start);
  assert.ok(fan.length > 0 && fan.every((r) => r.values.fan_rpm === 0));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp files left',
  );
});

test('same seed and flags → byte-identical files; another seed differs', async () => {
  const a = await runSim(flags('s1.csv', { faults: 'random:2' }), {});
  const b = await runSim(flags('s2.csv', { faults: 'random:2' }), {});
  const c = await runSim(flags('s3.csv', { faults: 'random:2', seed: '2' }), {});
  assert.equal(readFileSync(b.out, 'utf8'), readFileSync(a.out, 'utf8'));
  assert.equal(readFileSync(b.eventsOut, 'utf8'), readFileSync(a.eventsOut, 'utf8'));
  assert.notEqual(readFileSync(c.out, 'utf8'), readFileSync(a.out, 'utf8'));
});

test('NDJSON and Parquet hold the same records as CSV', async () => {
  const short = { duration: '2m', faults: 'driver_crash@rig0/gpu0@1m' };
  const csv = await readAll((await runSim(flags('f.csv', short), {})).out);
  const ndjson = await readAll((await runSim(flags('f.ndjson', short), {})).out);
  const parquet = await readAll((await runSim(flags('f.parquet', short), {})).out);
  const strip = (rs: TraceRecord[]) => rs.map(({ ts, rig, device, values }) => ({ ts, rig, device, values }));
  assert.deepEqual(strip(ndjson), strip(csv));
  assert.deepEqual(strip(parquet), strip(csv));
  const crashed = csv.filter(
    (r) => r.rig === 'rig0' && r.device === 'gpu0' && r.ts >= Date.parse(DEFAULT_START) + 60_000,
  );
  assert.ok(crashed.every((r) => NUMERIC_FIELDS.every((f) => r.values[f] === null)));
});

test('the trace scores with `rigtune score`', async () => {
  const sim = await runSim(flags('score.csv', { duration: '5m' }), {});
  let ticks = 0;
  const result = await runScore(
    sim.out,
    { events: true, ticks: false, ignoreUnknown: false },
    { stdout: { write: () => true }, onTick: () => ticks++ },
  );
  assert.equal(result.records, sim.rows);
  assert.equal(ticks, sim.rows);
  assert.equal(result.devices, 8);
});

test('bad flags are RT_CLI_USAGE naming the flag, and nothing is written', async () => {
  const cases: [Partial<SimFlags>, string][] = [
    [{ out: join(dir, 'x.txt') }, 'out'],
    [{ rigs: '0', asics: '0' }, 'rigs'],
    [{ rigs: '-1' }, 'rigs'],
    [{ gpusPerRig: '2.5' }, 'gpus-per-rig'],
    [{ duration: '10' }, 'duration'],
    [{ step: '0' }, 'step'],
    [{ duration: '1s', step: '5s' }, 'duration'],
    [{ faults: 'meteor@rig0@1m' }, 'faults'],
    [{ seed: 'abc' }, 'seed'],
    [{ gpuModel: 'rtx5090' }, 'gpu-model'],
    [{ algo: 'sha256' }, 'algo'],
    [{ start: 'yesterday' }, 'start'],
    [{ ambient: '99' }, 'ambient'],
  ];
  for (const [extra, field] of cases) {
    const f = flags('bad.csv', extra);
    await assert.rejects(
      runSim({ ...f, out: extra.out ?? f.out }, {}),
      (e) => isRigtuneError(e, 'RT_CLI_USAGE') && e.where.field === field,
      JSON.stringify(extra),
    );
  }
  await assert.rejects(runSim(flags('bad.csv', { faults: 'fan_failure@rig7/gpu0@1m' }), {}), (e) =>
    isRigtuneError(e, 'RT_CONFIG_INVALID'),
  );
  assert.ok(!readdirSync(dir).includes('bad.csv'));
});

test('output format and events path helpers', () => {
  assert.equal(traceFormatOf('x.CSV'), 'csv');
  assert.equal(traceFormatOf('x.jsonl'), 'ndjson');
  assert.equal(traceFormatOf('a/b.parquet'), 'parquet');
  assert.equal(eventsPathFor('out/run.csv'), 'out/run.events.ndjson');
  assert.equal(eventsPathFor('run.trace.parquet'), 'run.trace.events.ndjson');
  assert.equal(eventsPathFor('dir.v2/run'), 'dir.v2/run.events.ndjson');
});
