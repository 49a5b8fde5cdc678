// `rigtune encode` in-process: CSV fixtures in a temp dir, stdout and --out, several devices, bad mode,
// broken input leaving an existing output untouched, unwritable output.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../core/errors.ts';
import { encodeCausal, encodeReference } from '../kernel/encode/index.ts';
import { encodeCommand } from './encode.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-encode-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const power = [100, 102, 101, null, 105, 104, 104, 110, 98, 99];
const temp = [60, 60.5, 61, 61, 61.5, 62, null, 63, 62.5, 62];

function writeFixture(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const single = writeFixture(
  'single.csv',
  `ts,power_w,temp_core_c\n${power.map((p, i) => `${1700000000 + i},${p ?? ''},${temp[i] ?? ''}`).join('\n')}\n`,
);

async function run(args: string[]): Promise<string> {
  let out = '';
  const stdout = {
    write(chunk: string): boolean {
      out += chunk;
      return true;
    },
  };
  const command = encodeCommand({ stdout }).exitOverride();
  await command.parseAsync(args, { from: 'user' });
  return out;
}

const cells = (flags: ReturnType<typeof encodeReference>, i: number) =>
  [flags.up[i], flags.accel[i], flags.rangeexp[i], flags.zpos[i]].join(',');

test('reference mode to stdout: ts first, four 0/1 columns per numeric column in input order', async () => {
  const lines = (await run([single, '--mode', 'reference'])).trimEnd().split('\n');
  assert.equal(
    lines[0],
    'ts,power_w__UP,power_w__ACCEL,power_w__RANGEEXP,power_w__ZPOS,' +
      'temp_core_c__UP,temp_core_c__ACCEL,temp_core_c__RANGEEXP,temp_core_c__ZPOS',
  );
  assert.equal(lines.length, 1 + power.length);
  const p = encodeReference(power);
  const t = encodeReference(temp);
  power.forEach((_, i) => {
    assert.equal(lines[1 + i], `${(1700000000 + i) * 1000},${cells(p, i)},${cells(t, i)}`);
  });
});

test('causal mode, several devices, --out: rig and device columns, rows grouped per device', async () => {
  const rows: string[] = ['ts,rig,device,power_w'];
  power.forEach((p, i) => {
    rows.push(`${1700000000 + i},r1,"gpu,0",${p ?? ''}`);
    rows.push(`${1700000000 + i},r1,gpu1,${temp[i] ?? ''}`);
  });
  const input = writeFixture('multi.csv', `${rows.join('\n')}\n`);
  const out = join(dir, 'multi-bits.csv');
  assert.equal(await run([input, '--mode', 'causal', '--out', out]), '');
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'ts,rig,device,power_w__UP,power_w__ACCEL,power_w__RANGEEXP,power_w__ZPOS');
  const a = encodeCausal(power);
  const b = encodeCausal(temp);
  power.forEach((_, i) => {
    assert.equal(lines[1 + i], `${(1700000000 + i) * 1000},r1,"gpu,0",${cells(a, i)}`);
    assert.equal(lines[1 + power.length + i], `${(1700000000 + i) * 1000},r1,gpu1,${cells(b, i)}`);
  });
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp file left behind',
  );
});

test('--mode defaults to reference', async () => {
  assert.equal(await run([single]), await run([single, '--mode', 'reference']));
});

test('a bad --mode is RT_CLI_USAGE and writes nothing', async () => {
  const out = join(dir, 'never.csv');
  await assert.rejects(run([single, '--mode', 'centred', '--out', out]), (err) =>
    isRigtuneError(err, 'RT_CLI_USAGE'),
  );
  assert.ok(!readdirSync(dir).includes('never.csv'));
});

test('a broken input leaves an existing --out file untouched (never half-written)', async () => {
  const out = writeFixture('keep.csv', 'old contents\n');
  const broken = writeFixture('broken.csv', 'ts,power_w\n1700000000,5\n1700000001,abc\n');
  await assert.rejects(run([broken, '--out', out]), (err) => isRigtuneError(err, 'RT_INPUT_PARSE'));
  assert.equal(readFileSync(out, 'utf8'), 'old contents\n');
  await assert.rejects(run([join(dir, 'missing.csv'), '--out', out]), (err) =>
    isRigtuneError(err, 'RT_INPUT_NOT_FOUND'),
  );
  assert.equal(readFileSync(out, 'utf8'), 'old contents\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('an unwritable --out is RT_OUTPUT_WRITE naming the file', async () => {
  const out = join(dir, 'no-such-dir', 'bits.csv');
  await assert.rejects(
    run([single, '--out', out]),
    (err) => isRigtuneError(err, 'RT_OUTPUT_WRITE') && err.where.file === out,
  );
});

test('--help describes FILE, --mode and --out', () => {
  const help = encodeCommand().helpInformation();
  for (const word of ['<file>', '--mode', 'reference', 'causal', '--out'])
    assert.ok(help.includes(word), word);
});
