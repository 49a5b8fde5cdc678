// `rigtune study`: A-B-A experiments on rigs — `study run` schedules the phases through the guarded
// actuators, `study analyze` turns the recorded history into a report with intervals.

import { Command } from 'commander';
import { studyAnalyzeCommand } from './study-analyze.ts';
import { studyRunCommand } from './study-run.ts';

export function studyCommand(): Command {
  return new Command('study')
    .description('A-B-A studies: run a treatment against its baseline, then analyse the recorded history.')
    .addCommand(studyRunCommand())
    .addCommand(studyAnalyzeCommand());
}
