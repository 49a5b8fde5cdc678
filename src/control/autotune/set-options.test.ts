// Options and strategy changed on a running controller (a reload): nothing is rolled back, an action
// under validation keeps its window, and the new settings govern the next decisions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import { parseAutotuneOptions } from './options.ts';
import { validationSettings } from './rig-core.ts';
import { noStrategy } from './strategy.ts';
import { FAST, Harness } from './test-kit.ts';

test('setOptions keeps the action under validation and applies the new guard rails next', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  await h.run(121);
  assert.equal(h.pl, 325, 'the first step is under validation');
  await h.ctrl.setOptions({ ...FAST, min_interval_ms: 3_600_000 });
  await h.run(151);
  assert.equal(h.actions('validated').length, 1, 'validated, not rolled back by the reload');
  assert.equal(h.actions('rolled_back').length, 0);
  const writes = h.actuator.writes.length;
  await h.run(600);
  assert.equal(h.actuator.writes.length, writes, 'the new one-hour minimum interval holds');
});

test('bad options are refused with the field and the old ones stay', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  assert.throws(
    () => h.ctrl.setOptions({ ...FAST, min_blocks: 1 }),
    (err: unknown) =>
      err instanceof RigtuneError && err.code === 'RT_CONFIG_INVALID' && /min_blocks/.test(err.message),
  );
  await h.run(121);
  assert.equal(h.pl, 325, 'the controller acts with the old options');
});

test('setStrategy replaces where proposals come from from the next pass on', async () => {
  const h = new Harness(new FakeClock());
  await h.ctrl.start();
  await h.ctrl.setStrategy(noStrategy);
  await h.run(400);
  assert.equal(h.actuator.writes.length, 0);
});

test('the temperature margins of validation are options (defaults 1 and 5 °C)', () => {
  const d = validationSettings(parseAutotuneOptions({}));
  assert.deepEqual([d.coolingTempMarginC, d.hardTempMarginC], [1, 5]);
  const o = validationSettings(parseAutotuneOptions({ cooling_temp_margin_c: 2.5, hard_temp_margin_c: 8 }));
  assert.deepEqual([o.coolingTempMarginC, o.hardTempMarginC], [2.5, 8]);
  assert.throws(() => parseAutotuneOptions({ hard_temp_margin_c: -1 }), /hard_temp_margin_c/);
});
