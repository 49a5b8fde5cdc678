// `rigtune study run`: flags to a study request, and `--demo` with 1 s phases run to completion in a temp
// dir (markers read back with hyparquet, the analyze command printed), and a refused study exiting 1.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { studyRequestOf } from './study-run.ts';

const NODE = process.execPath;
const SELF = fileURLToPath(new URL('./study-run.ts', import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the command in a child process (its own signals and exit code), as the CLI's main would. */
function runStudy(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const code = `
    const { studyRunCommand } = await import(${JSON.stringify(SELF)});
    try { await studyRunCommand().exitOverride().parseAsync(process.argv.slice(1), { from: 'user' }); }
    catch (e) { process.stderr.write('ERR ' + (e.code ?? '') + ' ' + e.message + '\\n'); process.exitCode = e.exitCode ?? 1; }`;
  const r = spawnSync(NODE, ['--input-type=module', '-e', code, '--', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BASE = { rigs: 'rig1', treatment: 'power_limit_w=-20', phase: '20m', seed: '1' };

test('flags become a study request; bad ones are usage errors', () => {
  const now = Date.parse('2025-03-01T12:34:56Z');
  const r = studyRequestOf({ ...BASE, rigs: 'rig1, rig2', devices: 'rig1/gpu0', b: '30m' }, now);
  assert.deepEqual(r.durations, { A1: 1_200_000, B: 1_800_000, A2: 1_200_000 });
  assert.deepEqual(r.rigs, ['rig1', 'rig2']);
  assert.deepEqual(r.devices, ['rig1/gpu0']);
  assert.equal(r.id, 'power_limit_w_-20-20250301T123456');
  assert.equal(studyRequestOf({ ...BASE, id: 'pl' }, now).id, 'pl');
  const bad: Array<[Partial<typeof BASE> & Record<string, string>, RegExp]> = [
    [{ rigs: ' , ' }, /--rigs/],
    [{ treatment: 'volts=3' }, /unknown set-point/],
    [{ phase: 'soon' }, /phase/],
    [{ id: '../x' }, /--id/],
    [{ devices: 'gpu0' }, /not rig\/device/],
  ];
  for (const [flags, message] of bad)
    assert.throws(() => studyRequestOf({ ...BASE, ...flags }, now), { code: 'RT_CLI_USAGE', message });
});

test('study run --demo with 1 s phases runs to the end and prints the analyze command', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-study-run-'));
  dirs.push(dir);
  const args = [
    '--demo',
    '--data',
    dir,
    '--port',
    '0',
    '--rigs',
    'rig0',
    '--treatment',
    'power_limit_w=-20',
    '--phase',
    '1s',
    '--id',
    'demo1',
  ];
  const r = runStudy(args);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `study demo1 done\nrigtune study analyze --data ${dir} --study demo1\n`);
  assert.match(r.stderr, /study demo1 started: power_limit_w=-20 on rig0\//);
  const study = JSON.parse(readFileSync(join(dir, 'studies', 'demo1', 'study.json'), 'utf8'));
  assert.equal(study.status, 'done');
  assert.equal(study.devices.length, 4);
  const rows: Array<Record<string, unknown>> = [];
  for (const date of readdirSync(join(dir, 'aba_markers')))
    for (const f of readdirSync(join(dir, 'aba_markers', date))) {
      const file = await asyncBufferFromFile(join(dir, 'aba_markers', date, f));
      rows.push(...((await parquetReadObjects({ file, utf8: true })) as Array<Record<string, unknown>>));
    }
  const device = study.devices[0].device;
  assert.deepEqual(
    rows.filter((x) => x.device === device).map((x) => [x.phase, x.setpoint_value]),
    [
      ['A1', 350],
      ['B', 330],
      ['A2', 350],
      ['end', null],
    ],
  );
  // The same id again: the study is over, nothing to resume.
  const again = runStudy(args);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /RT_STUDY_STATE.*study demo1 is already done/);
});

test('a set-point study on the demo rig that auto-tunes is refused before anything runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-study-run-'));
  dirs.push(dir);
  const r = runStudy([
    '--demo',
    '--data',
    dir,
    '--port',
    '0',
    '--rigs',
    'rig1',
    '--treatment',
    'power_limit_w=-20',
    '--phase',
    '2s',
    '--id',
    'x',
  ]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /RT_STUDY_REFUSED rig rig1 is in auto mode/);
  assert.deepEqual(readdirSync(dir).includes('studies'), false, 'no study was created');
});
