// `rigtune study` groups its two subcommands, run and analyze, and each prints its usage.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studyCommand } from './study.ts';

test('study has the subcommands run and analyze', () => {
  const study = studyCommand();
  assert.deepEqual(
    study.commands.map((c) => c.name()),
    ['run', 'analyze'],
  );
  const analyze = study.commands.find((c) => c.name() === 'analyze');
  const help = analyze?.helpInformation() ?? '';
  for (const flag of ['--data <dir>', '--markers <file>', '--study <id>', '--out <dir>', '--seed <n>'])
    assert.ok(help.includes(flag), flag);
});
