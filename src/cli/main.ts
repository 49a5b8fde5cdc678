// rigtune command-line entry: builds the commander program from one file per command.
// Errors with a code print as "file:line:column: message [code]" and exit 1; nothing else imports cli.

import { Command, CommanderError } from 'commander';
import { isRigtuneError } from '../core/errors.ts';
import { COMMANDS } from './commands.ts';

export function buildProgram(): Command {
  const program = new Command('rigtune')
    .description('Telemetry optimizer for crypto-mining rigs: Observe, Score, Act.')
    .version('0.1.0')
    .showHelpAfterError();
  for (const define of COMMANDS) program.addCommand(define());
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isRigtuneError(err)) {
      process.stderr.write(`rigtune: ${err.describe()}\n`);
      return 1;
    }
    process.stderr.write(`rigtune: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 2;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
