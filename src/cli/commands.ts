// The explicit list of CLI commands (no registration by side effect): one factory per file.

import type { Command } from 'commander';

export const COMMANDS: ReadonlyArray<() => Command> = [];
