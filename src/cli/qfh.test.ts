import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { Command } from 'commander';
import { isRigtuneError } from '../core/errors.ts';
import { analyzeWindow } from '../kernel/qfh/index.ts';
import { QFH_OUTPUT_KEYS, qfhCommand } from './qfh.ts';

/** A stdout stand-in that keeps what is written. */
function collector() {
  const chunks: string[] = [];
  return {
    write(chunk: string): boolean {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}

/** Runs `qfh args…` in-process with the given stdin; returns the printed lines. */
async function runQfh(args: string[], stdin: string | string[] = ''): Promise<string[]> {
  const stdout = collector();
  const program = new Command('rigtune')
    .exitOverride()
    .addCommand(qfhCommand({ stdout, stdin: Readable.from(stdin) }));
  await program.parseAsync(['qfh', ...args], { from: 'user' });
  return stdout
    .text()
    .split('\n')
    .filter((l) => l !== '');
}

test('prints one JSON object per argument, keys in the documented order', async () => {
  const lines = await runQfh(['01101001101', '0', '']);
  assert.equal(lines.length, 3);
  const first = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(first), [...QFH_OUTPUT_KEYS]);
  assert.deepEqual(first, JSON.parse(JSON.stringify(analyzeWindow([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1]))));
  assert.equal(first.sig_c, 507);
  assert.equal(JSON.parse(lines[2]).n, 0);
});

test('reads stdin one window per line when no argument is given (CRLF, blank lines skipped)', async () => {
  const lines = await runQfh([], ['0101\r\n', '\n11', '11\n   \n0000000000000000']);
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).n),
    [4, 4, 16],
  );
  assert.equal(JSON.parse(lines[1]).collapse, true);
});

test('--hex expands bytes most significant bit first', async () => {
  const [hex] = await runQfh(['--hex', '5345502074656c656d65747279206f7074696d697a657220766563746f722121']);
  const m = JSON.parse(hex);
  assert.equal(m.n, 256);
  assert.deepEqual([m.sig_c, m.sig_s, m.sig_e], [434, 808, 904]); // native analyze_window_batch vector
  const [a] = await runQfh(['--hex', '81']);
  const [b] = await runQfh(['10000001']);
  assert.equal(a, b);
});

test('a bad bit names the argument and column; nothing is printed', async () => {
  const stdout = collector();
  const program = new Command().addCommand(qfhCommand({ stdout, stdin: Readable.from('') }));
  await assert.rejects(
    program.parseAsync(['qfh', '0101', '01x1'], { from: 'user' }),
    (err: unknown) =>
      isRigtuneError(err, 'RT_KERNEL_BITS') &&
      err.where.field === 'argument 2' &&
      err.where.offset === 2 &&
      err.describe() === `field 'argument 2': column 3: "x" is not a bit (0 or 1) [RT_KERNEL_BITS]`,
  );
  assert.equal(stdout.text(), '');
});

test('a bad stdin line names line and column; earlier lines are printed', async () => {
  const stdout = collector();
  const program = new Command().addCommand(qfhCommand({ stdout, stdin: Readable.from('0101\n  0121\n') }));
  await assert.rejects(program.parseAsync(['qfh'], { from: 'user' }), (err: unknown) => {
    assert.ok(isRigtuneError(err, 'RT_KERNEL_BITS'));
    assert.deepEqual([err.where.file, err.where.line, err.where.column], ['<stdin>', 2, 5]);
    assert.equal(err.describe(), `<stdin>:2:5: "2" is not a bit (0 or 1) [RT_KERNEL_BITS]`);
    return true;
  });
  assert.equal(stdout.text().split('\n').filter(Boolean).length, 1);
});

test('bad hex is a usage error with its position', async () => {
  for (const [arg, offset] of [
    ['0g', 1],
    ['abc', 2],
  ] as const) {
    await assert.rejects(
      runQfh(['--hex', arg]),
      (err: unknown) => isRigtuneError(err, 'RT_CLI_USAGE') && err.where.offset === offset,
    );
  }
});

test('--help describes the command with an example', () => {
  const help = qfhCommand().helpInformation() + '';
  assert.match(help, /Usage: qfh \[options\] \[bits\.\.\.\]/);
  assert.match(help, /--hex/);
  let after = '';
  const cmd = qfhCommand().configureOutput({ writeOut: (s) => (after += s) });
  cmd.outputHelp();
  assert.match(after, /Examples:\n {2}\$ rigtune qfh 01101001101/);
});
