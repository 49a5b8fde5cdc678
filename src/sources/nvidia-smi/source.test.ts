// The nvidia-smi source against the fake executable: H100 rows mapped field by field, emit latest vs
// all, spawn failure, death, unknown field, garbage, startup timeout, stall restart, hung child, zone.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { type FakeSmiScenario, installFakeSmi } from '../../../test/helpers/fake-nvidia-smi.ts';
import { assertSnapshot } from '../../../test/helpers/snapshot-assert.ts';
import type { Clock } from '../../core/clock.ts';
import { SourceError } from '../../core/errors.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { SourceContext } from '../../core/source.ts';
import { create, type NvidiaSmiOptionsInput, optionsSchema } from './index.ts';

const fixture = (p: string) => new URL(`../../protocols/nvidia-smi/fixtures/${p}`, import.meta.url);
const H100 = fixture('h100/nvidia_smi_query_gpu_40s.csv');
const HEADER = readFileSync(H100, 'utf8').split('\n')[0];
const GPU0 = '0000:00:06.0';
const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

/** A clock that moves only when told; sleeps resolve when it passes their deadline. */
function manualClock(startMs = Date.UTC(2026, 10, 26, 16, 25, 43)) {
  let now = startMs;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const clock: Clock = {
    nowMs: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleepers.push({ at: now + ms, resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const s of sleepers.filter((x) => x.at <= now)) s.resolve();
  };
  return { clock, advance };
}

function context(clock: Clock) {
  const snapshots: Snapshot[] = [];
  const raws: { device: string; field: string; value: unknown }[] = [];
  const controller = new AbortController();
  const ctx: SourceContext = {
    clock,
    signal: controller.signal,
    emit: (s) => void snapshots.push(s),
    raw: (device, field, value) => void raws.push({ device, field, value }),
  };
  const rawOf = (device: string, field: string) =>
    raws.filter((r) => r.device === device && r.field === field).map((r) => r.value);
  return { ctx, snapshots, rawOf, controller };
}

function source(scenario: FakeSmiScenario, options: NvidiaSmiOptionsInput = {}) {
  const fake = installFakeSmi(scenario);
  cleanups.push(fake.remove);
  const warnings: string[] = [];
  const s = create(
    { command: fake.command, kill_grace_ms: 100, ...options },
    { rig: 'rig-a', warn: (m) => void warnings.push(m) },
  );
  cleanups.push(() => s.close());
  /** Starts the child and resolves once `n` rows were parsed. */
  const rows = (n: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const stop = s.subscribe(() => {
        seen += 1;
        if (seen === n) {
          stop();
          resolve();
        }
      });
      s.start();
    });
  return { s, fake, warnings, rows };
}

test('the H100 stream: 40 snapshots (emit all), every mapped field on two rows, raw fields', async () => {
  const { s, fake, warnings, rows } = source({ csv: H100 }, { emit: 'all' });
  const { clock } = manualClock();
  await rows(40);
  assert.deepEqual(fake.args(), [
    `--query-gpu=${s.fields.join(',')}`,
    '--format=csv,nounits',
    '-lms',
    '1000',
  ]);
  const c = context(clock);
  await s.poll(c.ctx);
  assert.equal(c.snapshots.length, 40);
  assertSnapshot(
    c.snapshots[0],
    { ts: Date.UTC(2026, 10, 26, 16, 25, 3, 110), rig: 'rig-a', device: GPU0 },
    {
      power_w: 72.16,
      power_limit_w: 700,
      temp_core_c: 36,
      temp_mem_c: 39,
      clock_core_mhz: 345,
      clock_mem_mhz: 2619,
      util_pct: 0,
      throttle_flags: 1,
    },
  ); // fan_pct null: [N/A] on the H100; no energy counter in nvidia-smi; hash rates null
  assertSnapshot(
    c.snapshots[24],
    { ts: Date.UTC(2026, 10, 26, 16, 25, 27, 166), rig: 'rig-a', device: GPU0 },
    {
      power_w: 367.11,
      power_limit_w: 700,
      temp_core_c: 56,
      temp_mem_c: 47,
      clock_core_mhz: 1455,
      clock_mem_mhz: 2619,
      util_pct: 100,
      throttle_flags: 4,
    },
  );
  assert.deepEqual(c.rawOf(GPU0, 'pstate')[0], 'P0');
  assert.deepEqual(c.rawOf(GPU0, 'memory_total_mib')[0], 81559);
  assert.deepEqual(c.rawOf(GPU0, 'memory_used_mib')[24], 2035);
  assert.deepEqual(c.rawOf(GPU0, 'util_mem_pct')[24], 33);
  assert.deepEqual(c.rawOf(GPU0, 'power_limit_max_w')[0], 700);
  assert.deepEqual(s.devices(), [
    {
      device: GPU0,
      model: 'NVIDIA H100 80GB HBM3',
      uuid: 'GPU-39762834-1690-1ce6-e823-b57c956e4780',
      pci_bus_id: GPU0,
    },
  ]);
  assert.deepEqual(warnings, []);
  assert.deepEqual(s.stats(), { rows: 40, garbageLines: 0, dropped: 0, starts: 1 });
});

test('emit latest: the newest sample per GPU, two GPUs keyed by PCI bus id', async () => {
  const { s, rows } = source({ csv: fixture('synthetic/two-gpus.csv') });
  await rows(4);
  const c = context(manualClock().clock);
  await s.poll(c.ctx);
  assert.deepEqual(
    c.snapshots.map((x) => [x.device, x.power_w, x.fan_pct, x.temp_mem_c]),
    [
      [GPU0, 699.74, null, 49],
      ['0000:0a:00.0', 299.8, 72, null],
    ],
  );
});

test('no new sample: nothing emitted; past stall_timeout_ms the child is restarted and the poll fails', async () => {
  const { s, rows } = source({ csv: H100 }, { stall_timeout_ms: 3000 });
  const { clock, advance } = manualClock();
  await rows(40);
  await s.poll(context(clock).ctx);
  const quiet = context(clock);
  advance(2000);
  await s.poll(quiet.ctx);
  assert.deepEqual(quiet.snapshots, []);
  advance(2000);
  await assert.rejects(s.poll(context(clock).ctx), (err: unknown) => {
    assert.ok(err instanceof SourceError && err.kind === 'timeout');
    assert.match(err.message, /stalled: no sample for 4000 ms/);
    return true;
  });
  const again = context(clock);
  await s.poll(again.ctx); // restarts nvidia-smi and waits for its first row
  assert.ok(again.snapshots.length >= 1);
  assert.equal(s.stats().starts, 2);
});

test('nvidia-smi missing: SourceError unsupported naming the command; each poll tries again', async () => {
  const s = create({ command: '/nonexistent/bin/nvidia-smi' }, { rig: 'r' });
  const { clock } = manualClock();
  for (let i = 0; i < 2; i += 1)
    await assert.rejects(s.poll(context(clock).ctx), {
      code: 'RT_SOURCE_UNSUPPORTED',
      message: /tried '\/nonexistent\/bin\/nvidia-smi' \(ENOENT\)/,
    });
  assert.equal(s.stats().starts, 2);
  await s.close();
});

test('the child dying: SourceError reset with its stderr; the next poll starts a new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-smi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, 'header-only.csv');
  writeFileSync(csv, `${HEADER}\n`);
  const { s } = source({
    csv,
    mode: 'exit',
    exitCode: 15,
    stderr: 'Unable to determine the device handle for GPU0000:00:06.0: GPU is lost.',
  });
  const { clock } = manualClock();
  await assert.rejects(s.poll(context(clock).ctx), (err: unknown) => {
    assert.ok(err instanceof SourceError && err.kind === 'reset' && err.transient);
    assert.match(err.message, /exited \(code 15\): Unable to determine .* GPU is lost/);
    return true;
  });
  await assert.rejects(s.poll(context(clock).ctx), { code: 'RT_SOURCE_RESET' });
  assert.equal(s.stats().starts, 2);
});

test('an unknown field: unsupported, with the throttle_field hint; legacy name goes on the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-smi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const csv = join(dir, 'err.txt');
  writeFileSync(csv, 'Field "clocks_event_reasons.active" is not a valid field to query.\n');
  const { s } = source({ csv, mode: 'exit', exitCode: 2 });
  await assert.rejects(s.poll(context(manualClock().clock).ctx), {
    code: 'RT_SOURCE_UNSUPPORTED',
    message: /throttle_field: clocks_throttle_reasons.active/,
  });
  const legacy = source({ csv: H100 }, { throttle_field: 'clocks_throttle_reasons.active' });
  assert.ok(legacy.s.fields.includes('clocks_throttle_reasons.active'));
  assert.ok(!legacy.s.fields.includes('clocks_event_reasons.active'));
});

test('garbage lines are skipped, counted and logged with their line numbers', async () => {
  const { s, warnings, rows } = source({ csv: fixture('quirks/garbage-lines.csv') }, { emit: 'all' });
  await rows(2);
  const c = context(manualClock().clock);
  await s.poll(c.ctx);
  assert.deepEqual(
    c.snapshots.map((x) => x.power_w),
    [72.16, null],
  );
  assert.equal(c.snapshots[1].temp_mem_c, null);
  assert.equal(s.stats().garbageLines, 3);
  assert.deepEqual(
    warnings.map((w) => /line (\d+)/.exec(w)?.[1]),
    ['3', '4', '5'],
  );
});

test('no sample within startup_timeout_ms: timeout, and the silent child is stopped', async () => {
  const { s } = source({}, { startup_timeout_ms: 500 });
  const { clock, advance } = manualClock();
  const polled = s.poll(context(clock).ctx);
  advance(500);
  await assert.rejects(polled, { code: 'RT_SOURCE_TIMEOUT', message: /no sample within 500 ms/ });
  assert.equal(s.pid, undefined);
});

test('an aborted poll while waiting for the first sample fails with timeout', async () => {
  const { s } = source({});
  const c = context(manualClock().clock);
  const polled = s.poll(c.ctx);
  c.controller.abort(new Error('poll deadline'));
  await assert.rejects(polled, { code: 'RT_SOURCE_TIMEOUT', message: /aborted/ });
});

test('a hung child that ignores SIGTERM is killed on close()', async () => {
  const { s, rows } = source({ csv: H100, mode: 'hang' }, { kill_grace_ms: 50 });
  await rows(40);
  const pid = s.pid!;
  assert.ok(pid > 0);
  await s.close();
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  await assert.rejects(s.poll(context(manualClock().clock).ctx), /closed/);
});

test('timezone: timestamps read in the configured zone; a large skew from the clock is warned once', async () => {
  const { s, warnings, rows } = source({ csv: H100 }, { timezone: 'America/New_York', emit: 'all' });
  await rows(40);
  const c = context(manualClock().clock);
  await s.poll(c.ctx);
  assert.equal(c.snapshots[0].ts, Date.UTC(2026, 10, 26, 21, 25, 3, 110));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /differ from the clock by 5\.0 h; check the timezone option/);
});

test('options: defaults, strictness, zone validation; example.yaml validates', () => {
  assert.deepEqual(optionsSchema.parse({}), {
    command: 'nvidia-smi',
    interval_ms: 1000,
    timezone: 'UTC',
    throttle_field: 'clocks_event_reasons.active',
    emit: 'latest',
    max_backlog: 64,
    startup_timeout_ms: 5000,
    kill_grace_ms: 1000,
  });
  assert.equal(optionsSchema.safeParse({ timezone: 'Mars/Olympus' }).success, false);
  assert.equal(optionsSchema.safeParse({ timezone: '+05:30' }).success, true);
  assert.equal(optionsSchema.safeParse({ interval: 5 }).success, false);
  assert.throws(() => create({ emit: 'some' as 'all' }, { rig: 'r' }), { code: 'RT_CONFIG_INVALID' });
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  const result = optionsSchema.safeParse(parse(text));
  assert.ok(result.success, JSON.stringify(result.error?.issues));
});
