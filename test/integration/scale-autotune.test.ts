// Auto-tune in scale-out equals auto-tune in `rigtune run`: one simulated H100 in `auto`, read on one fake
// clock by the single-process Service (Valkey sink, prefix `ref`) and by a site collector whose
// controller is fed the scores a worker publishes: the same action records, byte for byte, in
// telemetry:actions:rig0; the audit log holds them; stopping the collector restores the safe setting.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openValkey } from '../../src/runtime/scale/index.ts';
import { mapOf } from '../../src/runtime/scale/replies.ts';
import { readAuditLog } from '../../src/sinks/audit/index.ts';
import { create as createValkey } from '../../src/sinks/valkey/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { boot, h100Fleet, powerLimitW, RIG, simRig, T0 } from './autotune-service-kit.ts';
import { passesDone, startSite, step } from './scale-autotune-kit.ts';
import { silent, startWorker } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const root = mkdtempSync(join(tmpdir(), 'rigtune-scale-autotune-'));
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

type Entry = { id: string; fields: Record<string, string> };

test('collector + worker take the actions `rigtune run` takes, recorded alike; stop restores', {
  skip,
}, async () => {
  const clock = new FakeClock(T0);
  // The single-process reference: its own fleet (same seed), journal and Valkey sink on prefix `ref`.
  const refFleet = h100Fleet();
  const sink = createValkey(
    { url: redis.url, key_prefix: 'ref', spool_dir: join(root, 'spool') },
    { logger: silent, clock },
  );
  await waitUntil(() => sink.health().ok, 'the Valkey sink connects');
  const ref = await boot(join(root, 'ref-journal'), clock, [simRig(refFleet, 'auto')], [sink]);
  const refControl = ref.service.control();
  assert.ok(refControl !== null);
  // Scale-out: a site collector tuning its own fleet, one worker scoring.
  const fleet = h100Fleet();
  const worker = await startWorker(redis.url, 'w1', { partitions: 4 });
  const site = await startSite(redis.url, clock, fleet, {
    journalDir: join(root, 'journal'),
    auditDir: join(root, 'audit'),
    mode: 'auto',
  });
  await ref.service.start();
  const reader = openValkey({ urls: [redis.url] });
  const entries = async (key: string): Promise<Entry[]> => {
    const r = (await reader.command(key, ['XRANGE', key, '-', '+'])) as [string, string[]][];
    return r.map(([id, f]) => ({ id, fields: Object.fromEntries(mapOf(f)) as Record<string, string> }));
  };
  try {
    // Both poll once as they start (T0): that poll is scored and fed before time moves.
    await clock.advance(0);
    await waitUntil(
      () => site.collector.stats().polls === 1 && site.autotune.stats().joins[RIG].held === 0,
      'the first poll is scored and fed',
    );
    await passesDone(site);
    await refControl.setMode(RIG, 'auto');
    // 200 s: the baseline, a first step down, its validation, a second step.
    for (let s = 1; s <= 200; s++) {
      await step(site, clock, true);
      await refControl.setMode(RIG, 'auto');
    }
    await sink.flush();
    await site.autotune.flush();
    const refEntries = await entries('ref:actions:rig0');
    const got = await entries('telemetry:actions:rig0');
    const statuses = got.map((e) => JSON.parse(e.fields.record).payload.status as string);
    assert.ok(statuses.includes('verified') && statuses.includes('validated'), statuses.join(','));
    assert.ok(powerLimitW(fleet) < 700, `stepped down: ${powerLimitW(fleet)} W`);
    assert.deepEqual(got, refEntries, 'the same entries (ids, fields, record JSON) as `rigtune run`');
    assert.equal(powerLimitW(fleet), powerLimitW(refFleet));
    const stats = site.autotune.stats();
    assert.equal(stats.joins[RIG].pollsWithoutScores, 0, 'every poll was fed with its scores');
    assert.equal(stats.joins[RIG].scoresFed, 201);
    assert.equal(stats.writer.written, got.length + stats.advice);

    // Stop: the step under validation (if any) rolled back, the safe setting (the default) restored.
    await worker.stop();
    await site.stop();
    assert.equal(powerLimitW(fleet), 700, 'safe setting restored on stop');
    const all = await entries('telemetry:actions:rig0');
    const records = all.map((e) => JSON.parse(e.fields.record));
    assert.ok(records.some((r) => r.payload.purpose === 'restore' && r.payload.status === 'validated'));
    const audited = (await readAuditLog(join(root, 'audit'))).records.filter(
      (r) => 'type' in r && r.type === 'action',
    );
    assert.deepEqual(
      audited.map((r) => (r as { payload: unknown }).payload),
      records.map((r) => r.payload),
      'the audit log holds every action record, the restore included',
    );
  } finally {
    await passesDone(site).catch(() => undefined);
    await worker.stop();
    await site.stop();
    await ref.service.stop();
    await ref.journal.close();
    await reader.close();
  }
});
