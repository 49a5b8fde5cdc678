// Builds the fake NVML library (test/fakes/nvml/*.c) into a temp dir as libnvidia-ml.so.1 with gcc, and
// writes the scripts it serves, so NVML tests run the real koffi FFI path without a GPU. Call from before().

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake's C sources: script and enumeration, the reader's getters, the set calls and their state. */
const SOURCES = ['fake-nvml.c', 'fake-nvml-read.c', 'fake-nvml-control.c'].map((f) =>
  fileURLToPath(new URL(`../fakes/nvml/${f}`, import.meta.url)),
);

/** A built fake library and the files next to it. */
export interface FakeNvml {
  /** Directory holding the library, scripts and call log. */
  readonly dir: string;
  /** Path of the built `libnvidia-ml.so.1`. */
  readonly libraryPath: string;
  /** Path of the call log the fake appends to (via FAKE_NVML_LOG). */
  readonly logPath: string;
  /** Writes a script file and points FAKE_NVML_SCRIPT at it (read at the next first nvmlInit_v2). */
  useScript(text: string): void;
  /** The calls logged since the last `clearLog`, one "name [device]" per entry. */
  calls(): string[];
  clearLog(): void;
  /** Removes the directory and unsets the environment variables. */
  remove(): void;
}

/** Options of `buildFakeNvml`. */
export interface BuildOptions {
  /**
   * Build without the symbols old drivers lack (ClocksEventReasons, TotalEnergy, FieldValues,
   * FanControlPolicy_v2, TargetFanSpeed, Set/ResetMemoryLockedClocks).
   */
  readonly old?: boolean;
}

/** The text of a script under test/fakes/nvml/scripts/, e.g. `two-gpus.txt`. */
export function fakeNvmlScript(name: string): string {
  return readFileSync(new URL(`../fakes/nvml/scripts/${name}`, import.meta.url), 'utf8');
}

/** Compiles the fake with gcc (-Wall -Werror) into a fresh temp dir. */
export function buildFakeNvml(options: BuildOptions = {}): FakeNvml {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-fake-nvml-'));
  const libraryPath = join(dir, 'libnvidia-ml.so.1');
  const logPath = join(dir, 'calls.log');
  const defines = options.old ? ['-DFAKE_NVML_OLD'] : [];
  execFileSync('gcc', [
    '-Wall',
    '-Wextra',
    '-Werror',
    '-shared',
    '-fPIC',
    ...defines,
    '-o',
    libraryPath,
    ...SOURCES,
  ]);
  let scripts = 0;
  return {
    dir,
    libraryPath,
    logPath,
    useScript(text: string) {
      scripts += 1;
      const path = join(dir, `script-${scripts}.txt`);
      writeFileSync(path, text);
      process.env.FAKE_NVML_SCRIPT = path;
      process.env.FAKE_NVML_LOG = logPath;
    },
    calls() {
      if (!existsSync(logPath)) return [];
      return readFileSync(logPath, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
    },
    clearLog() {
      writeFileSync(logPath, '');
    },
    remove() {
      delete process.env.FAKE_NVML_SCRIPT;
      delete process.env.FAKE_NVML_LOG;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
