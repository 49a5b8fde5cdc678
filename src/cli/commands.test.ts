// The command list through the real launcher: `rigtune --help` names every command, and the help of
// `sim` and `sources probe` prints (exit 0), so a command left out of commands.ts is caught here.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/rigtune', import.meta.url));

/** Runs bin/rigtune with `args`; resolves with the exit code and both outputs. */
function rigtune(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('rigtune --help lists every command, the service ones (run, demo, replay, doctor) included', async () => {
  const r = await rigtune(['--help']);
  assert.equal(r.code, 0, r.stderr);
  for (const name of ['score', 'qfh', 'encode', 'sim', 'sources', 'run', 'demo', 'replay', 'doctor'])
    assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'), `${name} missing from --help`);
});

test('rigtune sim --help and rigtune sources probe --help print their usage', async () => {
  const sim = await rigtune(['sim', '--help']);
  assert.equal(sim.code, 0, sim.stderr);
  assert.match(sim.stdout, /^Usage: rigtune sim \[options\]/);
  assert.match(sim.stdout, /--out <file>/);
  const sources = await rigtune(['sources', '--help']);
  assert.equal(sources.code, 0, sources.stderr);
  assert.match(sources.stdout, /^ {2}probe \[options\] \[addr\.\.\.\]/m);
  const probe = await rigtune(['sources', 'probe', '--help']);
  assert.equal(probe.code, 0, probe.stderr);
  assert.match(probe.stdout, /^Usage: rigtune sources probe \[options\] \[addr\.\.\.\]/);
  assert.match(probe.stdout, /--config <file>/);
  assert.match(probe.stdout, /--timeout-ms <ms>/);
  assert.match(probe.stdout, /--json/);
});
