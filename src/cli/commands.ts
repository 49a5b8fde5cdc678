// The explicit list of CLI commands (no registration by side effect): one factory per file.

import type { Command } from 'commander';
import { backtestCommand } from './backtest.ts';
import { collectCommand } from './collect.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { encodeCommand } from './encode.ts';
import { qfhCommand } from './qfh.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { scoreCommand } from './score/index.ts';
import { simCommand } from './sim.ts';
import { sourcesCommand } from './sources-probe.ts';
import { studyCommand } from './study.ts';
import { workerCommand } from './worker.ts';

export const COMMANDS: ReadonlyArray<() => Command> = [
  scoreCommand,
  () => qfhCommand(),
  () => encodeCommand(),
  simCommand,
  sourcesCommand,
  runCommand,
  demoCommand,
  replayCommand,
  doctorCommand,
  backtestCommand,
  studyCommand,
  collectCommand,
  workerCommand,
];
