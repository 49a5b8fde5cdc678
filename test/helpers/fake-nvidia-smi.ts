// Installs test/fakes/nvidia-smi/fake-nvidia-smi.sh as an executable `nvidia-smi` in a temp dir with
// its scenario baked into a wrapper, so child-process tests need no environment changes.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKE = fileURLToPath(new URL('../fakes/nvidia-smi/fake-nvidia-smi.sh', import.meta.url));

/** What the fake does after printing its CSV file. */
export interface FakeSmiScenario {
  /** CSV file printed to stdout (absolute path or URL). */
  readonly csv?: string | URL;
  /** stream: wait for SIGTERM (default); hang: ignore SIGTERM; exit: exit with `exitCode`. */
  readonly mode?: 'stream' | 'hang' | 'exit';
  readonly exitCode?: number;
  /** Printed to stderr before exiting (mode exit). */
  readonly stderr?: string;
}

/** An installed fake. */
export interface FakeSmi {
  /** Path of the executable to pass as the source's `command`. */
  readonly command: string;
  /** The arguments of the latest run, one per entry (empty before the first run). */
  args(): string[];
  remove(): void;
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Writes a wrapper `nvidia-smi` that runs the fake with `scenario`. */
export function installFakeSmi(scenario: FakeSmiScenario = {}): FakeSmi {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-fake-smi-'));
  const command = join(dir, 'nvidia-smi');
  const argsFile = join(dir, 'args.txt');
  const csv = scenario.csv instanceof URL ? fileURLToPath(scenario.csv) : scenario.csv;
  const env = [
    `FAKE_SMI_ARGS_OUT=${quote(argsFile)}`,
    csv ? `FAKE_SMI_CSV=${quote(csv)}` : '',
    `FAKE_SMI_MODE=${scenario.mode ?? 'stream'}`,
    `FAKE_SMI_EXIT=${scenario.exitCode ?? 0}`,
    scenario.stderr ? `FAKE_SMI_STDERR=${quote(scenario.stderr)}` : '',
  ].filter((e) => e !== '');
  writeFileSync(
    command,
    `#!/bin/sh\n${env.map((e) => `export ${e}`).join('\n')}\nexec /bin/sh ${quote(FAKE)} "$@"\n`,
  );
  chmodSync(command, 0o755);
  return {
    command,
    args() {
      try {
        return readFileSync(argsFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '');
      } catch {
        return []; // not run yet: the fake writes the file first thing
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
