// The child-process path against a fake `nvidia-smi` (test/fakes/nvidia-smi/): arguments, streaming
// rows, a missing executable, a process that dies, garbage lines, and a hung process killed on close.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { installFakeSmi } from '../../../test/helpers/fake-nvidia-smi.ts';
import { SourceError } from '../../core/errors.ts';
import type { SmiColumn, SmiGarbage, SmiRow } from './csv.ts';
import { QUERY_FIELDS } from './query.ts';
import { type SmiExit, SmiStream } from './stream.ts';
import { zoneConverter } from './timestamp.ts';

const H100 = new URL('./fixtures/h100/nvidia_smi_query_gpu_40s.csv', import.meta.url);
const GARBAGE = new URL('./fixtures/quirks/garbage-lines.csv', import.meta.url);
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups) c();
});

/** Starts a stream and collects its callbacks; `until(n)` resolves when n rows have arrived. */
function collect(command: string, fields: readonly string[] = QUERY_FIELDS) {
  const rows: SmiRow[] = [];
  const garbage: SmiGarbage[] = [];
  let header: readonly SmiColumn[] | null = null;
  let waiting: { n: number; resolve: () => void } | null = null;
  let resolveEnd: (v: SmiExit | SourceError) => void = () => {};
  const ended = new Promise<SmiExit | SourceError>((resolve) => {
    resolveEnd = resolve;
  });
  const stream = new SmiStream(
    { command, fields, intervalMs: 1000, toEpoch: zoneConverter('UTC') },
    {
      onHeader: (h) => {
        header = h;
      },
      onRow: (r) => {
        rows.push(r);
        if (waiting && rows.length >= waiting.n) waiting.resolve();
      },
      onGarbage: (g) => void garbage.push(g),
      onExit: (e) => resolveEnd(e),
      onSpawnError: (e) => resolveEnd(e),
    },
  );
  const until = (n: number) =>
    rows.length >= n ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { n, resolve }));
  return { stream, rows, garbage, ended, until, header: () => header };
}

test('streams the H100 capture: arguments, header, 40 rows; close() stops it with SIGTERM', async () => {
  const fake = installFakeSmi({ csv: H100 });
  cleanups.push(fake.remove);
  const c = collect(fake.command);
  await c.until(40);
  assert.deepEqual(fake.args(), [
    `--query-gpu=${QUERY_FIELDS.join(',')}`,
    '--format=csv,nounits',
    '-lms',
    '1000',
  ]);
  assert.equal(c.header()?.length, QUERY_FIELDS.length);
  assert.equal(c.rows[39].values['power.draw'], 697.81);
  assert.deepEqual(c.garbage, []);
  assert.ok(c.stream.isRunning);
  await c.stream.close(5000);
  const exit = (await c.ended) as SmiExit;
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(c.stream.isRunning, false);
  await c.stream.close(); // idempotent
});

test('-i passes the GPU selection', async () => {
  const fake = installFakeSmi({ mode: 'exit' });
  cleanups.push(fake.remove);
  const exited = new Promise<void>((resolve) => {
    new SmiStream(
      {
        command: fake.command,
        fields: ['index'],
        intervalMs: 200,
        gpus: ['0', '00000000:0A:00.0'],
        toEpoch: zoneConverter('UTC'),
      },
      { onRow: () => {}, onExit: () => resolve() },
    );
  });
  await exited;
  assert.deepEqual(fake.args().slice(2), ['-lms', '200', '-i', '0,00000000:0A:00.0']);
});

test('a missing executable: SourceError unsupported naming the command (ENOENT)', async () => {
  const c = collect('/nonexistent/dir/nvidia-smi');
  const err = await c.ended;
  assert.ok(err instanceof SourceError);
  assert.equal(err.kind, 'unsupported');
  assert.match(err.message, /tried '\/nonexistent\/dir\/nvidia-smi' \(ENOENT\)/);
  assert.equal(c.stream.isRunning, false);
  await c.stream.close();
});

test('the process dying: exit code and stderr reported after the rows it printed', async () => {
  const fake = installFakeSmi({
    csv: H100,
    mode: 'exit',
    exitCode: 15,
    stderr: 'Unable to determine the device handle for GPU0000:00:06.0: GPU is lost.',
  });
  cleanups.push(fake.remove);
  const c = collect(fake.command);
  const exit = (await c.ended) as SmiExit;
  assert.equal(exit.code, 15);
  assert.match(exit.stderr, /GPU is lost/);
  assert.equal(c.rows.length, 40);
});

test('garbage lines are skipped and reported with their line numbers; a repeated header is ignored', async () => {
  const fake = installFakeSmi({ csv: GARBAGE, mode: 'exit' });
  cleanups.push(fake.remove);
  const c = collect(fake.command);
  const exit = (await c.ended) as SmiExit;
  assert.equal(exit.code, 0);
  assert.deepEqual(
    c.garbage.map((g) => g.line),
    [3, 4, 5],
  );
  assert.match(c.garbage[0].reason, /expected 19 cells, got 1/);
  assert.equal(exit.firstGarbage?.line, 3);
  assert.deepEqual(
    c.rows.map((r) => r.line),
    [2, 7],
  );
  assert.equal(c.rows[1].values['power.draw'], null);
  assert.equal(c.rows[1].nulls['temperature.memory'], '[Not Supported]');
});

test('an error message instead of a header (unknown field) is garbage, then the exit explains', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-smi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, 'out.txt');
  writeFileSync(csv, 'Field "clocks_event_reasons.active" is not a valid field to query.\n\n');
  const fake = installFakeSmi({ csv, mode: 'exit', exitCode: 2 });
  cleanups.push(fake.remove);
  const c = collect(fake.command);
  const exit = (await c.ended) as SmiExit;
  assert.equal(exit.code, 2);
  assert.match(exit.firstGarbage?.excerpt ?? '', /is not a valid field/);
  assert.equal(exit.firstGarbage?.reason, 'expected the CSV header');
});

test('CRLF line ends and a last line without newline are read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-smi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, 'crlf.csv');
  writeFileSync(csv, 'index, power.draw [W]\r\n0, 10.5\r\n1, 20');
  const fake = installFakeSmi({ csv, mode: 'exit' });
  cleanups.push(fake.remove);
  const c = collect(fake.command, ['index', 'power.draw']);
  await c.ended;
  assert.deepEqual(
    c.rows.map((r) => r.values),
    [
      { index: 0, 'power.draw': 10.5 },
      { index: 1, 'power.draw': 20 },
    ],
  );
});

test('a hung process that ignores SIGTERM is killed with SIGKILL on close()', async () => {
  const fake = installFakeSmi({ csv: H100, mode: 'hang' });
  cleanups.push(fake.remove);
  const c = collect(fake.command);
  await c.until(40); // the fake sets its SIGTERM trap before printing
  await c.stream.close(50);
  const exit = (await c.ended) as SmiExit;
  assert.equal(exit.signal, 'SIGKILL');
});
