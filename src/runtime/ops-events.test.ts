// Tests of the operational event helper: every event counted, logs rate-limited with a suppressed count.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { OpsReporter } from './ops-events.ts';

function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, lines };
}

test('repeats within the window are counted but logged once, then summarised', () => {
  const { logger, lines } = capture();
  let now = 0;
  const counted: string[] = [];
  const ops = new OpsReporter(
    logger,
    () => now,
    10_000,
    (e) => counted.push(e.code),
  );
  const e = {
    component: 'source.cgminer',
    code: 'RT_SOURCE_TIMEOUT',
    level: 'warn',
    msg: 'Poll timed out.',
    rig: 'r1',
  } as const;
  for (let i = 0; i < 5; i += 1) {
    ops.report(e);
    now += 1000;
  }
  assert.equal(lines.length, 1);
  assert.equal(counted.length, 5);
  now = 20_000;
  ops.report(e);
  assert.equal(lines.length, 2);
  assert.equal(lines[1].suppressed, 4);
  assert.equal(lines[1].msg, 'Poll timed out.');
  assert.equal(lines[1].rig, 'r1');
  assert.equal(ops.count('source.cgminer', 'RT_SOURCE_TIMEOUT'), 6);
});

test('different rigs and codes are limited separately', () => {
  const { logger, lines } = capture();
  const ops = new OpsReporter(logger, () => 0);
  ops.report({ component: 'c', code: 'a', level: 'error', msg: 'A.', rig: 'r1' });
  ops.report({ component: 'c', code: 'a', level: 'error', msg: 'A.', rig: 'r2' });
  ops.report({ component: 'c', code: 'b', level: 'error', msg: 'B.', rig: 'r1' });
  assert.equal(lines.length, 3);
  assert.equal(ops.count('c', 'a'), 2);
});
