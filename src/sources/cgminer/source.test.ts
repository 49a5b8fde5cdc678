// The cgminer source end to end over real sockets: a fake miner on 127.0.0.1 serves each dialect's
// fixtures NUL-terminated; the source identifies it, sends its minimal (joined) commands and emits.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type FakeCgminer, fixtureReplies, startCgminerServer } from '../../../test/fakes/cgminer-server.ts';
import { pollCollector } from '../../../test/helpers/poll-collector.ts';
import { SourceError, type SourceErrorKind } from '../../core/errors.ts';
import type { Source } from '../../core/source.ts';
import { MinerLocks } from '../../protocols/cgminer/index.ts';
import { type CgminerOptionsInput, create, kind } from './index.ts';

const folder = (path: string) => new URL(`./fixtures/${path}/`, import.meta.url);
const S19 = fixtureReplies(folder('antminer/49.0.1.3'));
const servers: FakeCgminer[] = [];

async function miner(...args: Parameters<typeof startCgminerServer>): Promise<FakeCgminer> {
  const m = await startCgminerServer(...args);
  servers.push(m);
  return m;
}
after(async () => {
  for (const s of servers) await s.close();
});

/** A source on `m`; its warnings go to `warnings`, its notes of expected reply formats to `notes`. */
function source(
  m: FakeCgminer,
  options: Partial<CgminerOptionsInput> = {},
  warnings: string[] = [],
  notes: string[] = [],
): Source {
  return create(
    { host: m.host, port: m.port, timeout_ms: 200, retries: 0, ...options },
    {
      rig: 'rig-a',
      warn: (w) => void warnings.push(w),
      note: (w) => void notes.push(w),
      random: () => 0.5,
      locks: new MinerLocks(),
    },
  );
}

const commands = (m: FakeCgminer, from = 0) => m.requests.slice(from).map((r) => r.command);

function failsWith(k: SourceErrorKind, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof SourceError, String(err));
    assert.equal(err.kind, k, err.message);
    if (message) assert.match(err.message, message);
    return true;
  };
}

test('Antminer S19: version once, then summary+stats joined; total and three boards', async () => {
  const m = await miner(S19);
  const warnings: string[] = [];
  const notes: string[] = [];
  const s = source(m, {}, warnings, notes);
  assert.equal(s.kind, kind);
  const ctx = pollCollector(1_671_005_003_000);
  await s.poll(ctx);
  assert.deepEqual(commands(m), ['version', 'summary+stats']);
  assert.deepEqual(
    ctx.snapshots.map((x) => x.device),
    ['total', 'board1', 'board2', 'board3'],
  );
  assert.equal(ctx.device('total').hashrate_5s, 110566.89e9);
  assert.equal(ctx.device('board2').temp_chip_max_c, 71);
  assert.equal(ctx.rawOf('total', 'dialect'), 'antminer');
  assert.equal(ctx.rawOf('total', 'quirks'), 'trailing-nul,number-as-string');
  assert.deepEqual(s.devices?.()[1], { device: 'board1', model: 'Antminer S19 Pro', firmware: '49.0.1.3' });
  await s.poll(pollCollector());
  assert.deepEqual(commands(m, 2), ['summary+stats']);
  // Expected formats (every cgminer's trailing NUL, Antminer's numbers as strings): notes, not
  // warnings, once per source, not per poll; still listed in the raw `quirks` field every poll.
  assert.deepEqual(
    notes.map((n) => /'([a-z-]+)'/.exec(n)?.[1]),
    ['trailing-nul', 'number-as-string'],
  );
  assert.deepEqual(warnings, []);
});

test('a reply the reader had to repair is a warning, once; the expected trailing NUL only a note', async () => {
  const version =
    '{"STATUS":[{"STATUS":"S","When":1,"Code":22,"Msg":"CGMiner versions","Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1","API":"3.7"}],"id":1}';
  // `Accepted` twice: the reader keeps the last value, so one value was dropped.
  const summary =
    '{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary","Description":"cgminer 4.11.1"}],"SUMMARY":[{"Elapsed":9,"MHS 5s":7078.84,"Accepted":3,"Accepted":4}],"id":1}';
  const m = await miner({
    version: { kind: 'reply', body: version },
    summary: { kind: 'reply', body: summary },
  });
  const warnings: string[] = [];
  const notes: string[] = [];
  const s = source(m, {}, warnings, notes);
  const ctx = pollCollector();
  await s.poll(ctx);
  await s.poll(pollCollector());
  assert.equal(ctx.rawOf('total', 'quirks'), 'trailing-nul,duplicate-key');
  assert.deepEqual(
    warnings.filter((w) => /quirk/.test(w)),
    ["Miner replies show the 'duplicate-key' quirk; handled (see sources/cgminer/README.md)."],
  );
  assert.equal(notes.length, 1);
  assert.match(notes[0], /'trailing-nul' format, expected for this firmware/);
});

test('joined commands refused: one command per connection from then on, said once', async () => {
  const m = await miner(S19, { multi: false });
  const warnings: string[] = [];
  const s = source(m, { pools: true }, warnings);
  await s.poll(pollCollector());
  await s.poll(pollCollector());
  assert.deepEqual(commands(m), [
    'version',
    'summary+stats+pools',
    'summary',
    'stats',
    'pools',
    'summary',
    'stats',
    'pools',
  ]);
  assert.equal(warnings.filter((w) => /refused joined commands/.test(w)).length, 1);
});

test('Whatsminer: no version command, sniffed from summary, edevs per board, pools raw', async () => {
  const m = await miner(fixtureReplies(folder('whatsminer/20201202.22.REL')), { description: 'btminer' });
  const warnings: string[] = [];
  const s = source(m, { pools: true }, warnings);
  const ctx = pollCollector(1_612_175_440_000);
  await s.poll(ctx);
  assert.deepEqual(commands(m), ['version', 'summary', 'edevs', 'pools']);
  assert.deepEqual(
    ctx.snapshots.map((x) => x.device),
    ['total', 'board0', 'board1', 'board2'],
  );
  assert.equal(ctx.device('total').power_w, 3553);
  assert.equal(ctx.rawOf('total', 'pools.last_share_age_s'), 11);
  assert.equal(warnings.filter((w) => /'version' failed/.test(w)).length, 1);
  await s.poll(pollCollector(1_612_175_440_000));
  assert.deepEqual(commands(m, 4), ['summary', 'edevs', 'pools']);
  assert.equal(warnings.filter((w) => /'version' failed/.test(w)).length, 1);
});

test('Braiins and LuxOS: identified by version, their commands joined in one request', async () => {
  const bos = await miner(fixtureReplies(folder('braiins/0.2.0-36c56a9363')));
  const ctx = pollCollector(1_597_188_000_000);
  await source(bos).poll(ctx);
  assert.deepEqual(commands(bos), ['version', 'summary+tunerstatus+fans+devs+temps']);
  assert.deepEqual(
    ctx.snapshots.map((x) => x.device),
    ['total', 'board6', 'board7', 'board8'],
  );
  assert.equal(ctx.device('total').power_w, 1259);
  const lux = await miner(fixtureReplies(folder('luxos/2025.4.8.220305-57b389c7')));
  const lctx = pollCollector();
  await source(lux).poll(lctx);
  assert.deepEqual(commands(lux), ['version', 'summary+power+fans+devs+stats+temps']);
  assert.equal(lctx.device('board1').temp_inlet_c, 34);
});

test('unknown firmware: generic summary totals and a once-only warning saying what to report', async () => {
  const summary =
    '{"STATUS":[{"STATUS":"S","When":1,"Code":11,"Msg":"Summary","Description":"cgminer 4.11.1"}],"SUMMARY":[{"Elapsed":9,"MHS 5s":7078.84,"Accepted":3}],"id":1}';
  const version =
    '{"STATUS":[{"STATUS":"S","When":1,"Code":22,"Msg":"CGMiner versions","Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1","API":"3.7"}],"id":1}';
  const m = await miner({
    summary: { kind: 'reply', body: summary },
    version: { kind: 'reply', body: version },
  });
  const warnings: string[] = [];
  const s = source(m, {}, warnings);
  const ctx = pollCollector();
  await s.poll(ctx);
  await s.poll(pollCollector());
  assert.deepEqual(commands(m), ['version', 'summary', 'stats', 'summary']);
  assert.deepEqual(
    ctx.snapshots.map((x) => x.device),
    ['total'],
  );
  assert.equal(ctx.device('total').hashrate_5s, 7078.84e6);
  const unknown = warnings.filter((w) => /Unknown cgminer-family firmware/.test(w));
  assert.equal(unknown.length, 1);
  assert.match(unknown[0], /Description cgminer 4\.11\.1.*report its 'version' and 'stats'/);
});

test('a forced dialect skips sniffing; a failing optional command leaves its fields null', async () => {
  const m = await miner({ ...S19, stats: { kind: 'garbage' } });
  const warnings: string[] = [];
  const s = source(m, { dialect: 'antminer', multi_command: false }, warnings);
  const ctx = pollCollector();
  await s.poll(ctx);
  assert.deepEqual(commands(m), ['version', 'summary', 'stats']);
  assert.deepEqual(
    ctx.snapshots.map((x) => x.device),
    ['total'],
  );
  assert.equal(ctx.device('total').hashrate_5s, 110566.89e9);
  assert.equal(ctx.device('total').fan_rpm, null);
  assert.match(
    warnings.join('\n'),
    /Optional command 'stats' failed; its fields are null: Unexpected byte 0x16/,
  );
});

test('bad input fails the poll with the right kind, never a made-up value', async () => {
  const cases: [string, object, SourceErrorKind, RegExp?][] = [
    ['hang', { kind: 'hang' }, 'timeout', /No complete reply within 200 ms/],
    ['garbage', { kind: 'garbage' }, 'protocol', /at byte 0/],
    ['html', { kind: 'html' }, 'protocol', /HTML page/],
    [
      'truncated',
      { kind: 'truncate', body: (S19.summary as { body: Uint8Array }).body },
      'protocol',
      /truncated/,
    ],
    ['reset', { kind: 'reset', body: (S19.summary as { body: Uint8Array }).body }, 'reset'],
    ['closed', { kind: 'close' }, 'reset', /api-allow/],
    [
      'status',
      { kind: 'reply', body: '{"STATUS":[{"STATUS":"E","Code":45,"Msg":"Access denied"}],"id":1}' },
      'status',
      /Access denied/,
    ],
  ];
  for (const [name, summary, k, message] of cases) {
    const m = await miner({ ...S19, summary: summary as never });
    const ctx = pollCollector();
    await assert.rejects(
      source(m, { dialect: 'antminer', multi_command: false }).poll(ctx),
      failsWith(k, message),
      name,
    );
    assert.deepEqual(ctx.snapshots, [], name);
  }
  const gone = await miner(S19);
  await gone.close();
  await assert.rejects(source(gone).poll(pollCollector()), failsWith('connect', /ECONNREFUSED/));
});

test('transient failures are retried on the injected clock; other failures are not', async () => {
  const m = await miner(S19);
  m.script('version', [{ kind: 'close' }, { kind: 'reset', body: 'x'.repeat(40) }]);
  const slept: number[] = [];
  const clock = { nowMs: () => 7, sleep: async (ms: number) => void slept.push(ms) };
  const s = create(
    { host: m.host, port: m.port, timeout_ms: 200, retries: 2, backoff_ms: 100, backoff_max_ms: 150 },
    { rig: 'r', random: () => 1, clock, locks: new MinerLocks() },
  );
  const ctx = pollCollector();
  await s.poll(ctx);
  assert.deepEqual(commands(m), ['version', 'version', 'version', 'summary+stats']);
  assert.deepEqual(slept, [100, 150]); // 100·2⁰ and min(150, 100·2¹), jitter factor 1
  assert.equal(ctx.snapshots.length, 4);
});

test('two sources on one miner never hold two connections at once', async () => {
  const m = await miner(S19);
  const locks = new MinerLocks();
  const make = () =>
    create(
      { host: m.host, port: m.port, timeout_ms: 2000, retries: 0, multi_command: false },
      { rig: 'r', locks },
    );
  const [a, b] = [make(), make()];
  await Promise.all([a.poll(pollCollector()), b.poll(pollCollector()), a.poll(pollCollector())]);
  assert.equal(m.maxInFlight(), 1);
  assert.ok(m.requests.length >= 6);
});

test('a miner restart (Elapsed going back) makes the next poll identify the firmware again', async () => {
  const m = await miner(S19);
  const s = source(m);
  await s.poll(pollCollector());
  const restarted = new TextDecoder()
    .decode((S19.summary as { body: Uint8Array }).body)
    .replace('"Elapsed":50474', '"Elapsed":12');
  m.set('summary', { kind: 'reply', body: restarted });
  await s.poll(pollCollector());
  await s.poll(pollCollector());
  assert.deepEqual(commands(m), ['version', 'summary+stats', 'summary+stats', 'version', 'summary+stats']);
  await s.close();
  await assert.rejects(s.poll(pollCollector()), failsWith('unsupported'));
});

test('json_framing false sends text requests and reads text replies (numbers as strings)', async () => {
  const m = await miner({
    version: {
      kind: 'reply',
      body: 'STATUS=S,When=1,Code=22,Msg=CGMiner versions,Description=cgminer 4.9.0|VERSION,CGMiner=4.9.0,API=3.1,Type=Antminer D3|',
    },
    summary: {
      kind: 'reply',
      body: 'STATUS=S,When=1,Code=11,Msg=Summary,Description=cgminer 4.9.0|SUMMARY,Elapsed=5,GHS 5s=16346.64,Accepted=3038|',
    },
    stats: {
      kind: 'reply',
      body: 'STATUS=S,When=1,Code=70,Msg=CGMiner stats,Description=cgminer 4.9.0|STATS,chain_acn1=60,chain_rate1=5287.83|',
    },
  });
  const ctx = pollCollector();
  await source(m, { json_framing: false }).poll(ctx);
  assert.deepEqual(
    m.requests.map((r) => r.raw),
    ['version', 'summary', 'stats'],
  );
  assert.equal(ctx.rawOf('total', 'dialect'), 'antminer');
  assert.equal(ctx.device('total').accepted_shares, 3038);
  assert.equal(ctx.device('board1').hashrate_5s, 5287.83e9);
});
