// The simulated Antminer's TCP API over real sockets on 127.0.0.1: framing (one request per
// connection, trailing NUL, close), each command's shape per spec §3.1/§3.2, and values = sim state.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { parseFaultSpec } from '../faults.ts';
import { Fleet } from '../fleet.ts';
import { chipStatusString, suffixString } from './cgminer-format.ts';
import { type CgminerEndpoint, parseRequest, serveCgminer } from './cgminer-server.ts';

const START = Date.UTC(2026, 10, 1, 12);
const fleet = new Fleet({
  seed: 5,
  startMs: START,
  gpuRigs: 1,
  gpusPerRig: 2,
  asics: 1,
  settleS: 300,
  faults: parseFaultSpec('hashboard_dropout@asic0/board2@20m+10m'),
});
const rig = fleet.rig('asic0');
const asic = fleet.asic('asic0');
let server: CgminerEndpoint;
let quirky: CgminerEndpoint;

before(async () => {
  for (let s = 0; s < 600; s++) fleet.step(1000);
  server = await serveCgminer(rig, { port: 0 });
  quirky = await serveCgminer(rig, { port: 0, quirks: ['missing-comma'] });
});
after(async () => {
  await server.close();
  await quirky.close();
});

/** Sends `request` raw, reads until the server closes; returns the reply bytes as text. */
function exchange(port: number, request: string, halfClose = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
    if (halfClose) socket.end();
  });
}

async function command(cmd: string, port = server.port): Promise<Record<string, unknown>> {
  const text = await exchange(port, JSON.stringify({ command: cmd }));
  assert.ok(text.endsWith('\0'), 'reply ends with NUL as bmminer sends it');
  assert.equal(text.indexOf('\0'), text.length - 1);
  return JSON.parse(text.slice(0, -1)) as Record<string, unknown>;
}

type Rec = Record<string, unknown>;
const status = (r: Rec) => (r.STATUS as Rec[])[0];

test('listens on 127.0.0.1 only, on the port it reports', () => {
  assert.equal(server.host, '127.0.0.1');
  assert.ok(server.port > 0 && server.port !== quirky.port);
});

test('summary: envelope and SUMMARY values match the simulated miner', async () => {
  const r = await command('summary');
  const st = status(r);
  assert.deepEqual(Object.keys(st), ['STATUS', 'When', 'Code', 'Msg', 'Description']);
  assert.equal(st.STATUS, 'S');
  assert.equal(st.Code, 11);
  assert.equal(st.When, Math.floor(fleet.nowMs / 1000));
  assert.equal(r.id, 1);
  const s = (r.SUMMARY as Rec[])[0];
  assert.equal(s.Elapsed, 600);
  assert.ok(Math.abs((s['GHS 5s'] as number) - asic.hashrate5s / 1e9) < 0.01);
  assert.equal(s.Accepted, asic.shares.accepted);
  assert.equal(s.Rejected, asic.shares.rejected);
  assert.equal(s['Hardware Errors'], asic.hwErrors);
  assert.equal(s['Difficulty Accepted'], asic.shares.diffAccepted);
  for (const k of [
    'GHS av',
    'GHS 30m',
    'Stale',
    'Difficulty Rejected',
    'Difficulty Stale',
    'Best Share',
    'Pool Rejected%',
    'Device Hardware%',
    'Total MH',
  ])
    assert.ok(k in s, k);
});

test('stats: BMMiner identity, chain_* per board, dash-joined temperature strings, fans', async () => {
  const r = await command('stats');
  assert.equal(status(r).Code, 70);
  const [id, s] = r.STATS as Rec[];
  assert.deepEqual(id, {
    BMMiner: '1.0.0',
    Miner: '49.0.1.3',
    CompileTime: 'Tue Dec 6 16:12:30 CST 2022',
    Type: 'Antminer S19 Pro',
  });
  assert.equal(s.ID, 'BTM_SOC0');
  assert.equal(s.miner_count, 3);
  assert.equal(s.fan_num, 4);
  const rpms = asic.fanRpms();
  for (let k = 0; k < 4; k++) assert.equal(s[`fan${k + 1}`], rpms[k]);
  for (let i = 1; i <= 3; i++) {
    const board = asic.boards[i - 1];
    assert.equal(typeof s[`chain_rate${i}`], 'string', 'numbers as strings (S19)');
    assert.ok(Math.abs(Number(s[`chain_rate${i}`]) - board.rate5s / 1e9) < 0.01);
    assert.equal(s[`chain_acn${i}`], 114);
    const acs = s[`chain_acs${i}`] as string;
    assert.match(acs, /^( ooo){38}$/, '38 groups of 3 chips');
    assert.equal(s[`chain_hw${i}`], board.hwErrors);
    const temps = (s[`temp_chip${i}`] as string).split('-').map(Number);
    assert.equal(temps.length, 4);
    assert.deepEqual(
      temps,
      asic.sensorTempsC(board)!.map((t) => Math.round(t)),
    );
    assert.deepEqual(
      (s[`temp_pcb${i}`] as string).split('-').map(Number),
      temps.map((t) => t - 5),
    );
    assert.equal(s[`temp2_${i}`], Math.max(...temps));
    assert.equal(s[`freq${i}`], Math.round(board.freqMhz));
  }
  assert.equal(s.chain_rate4, '', 'empty slot');
  assert.equal(s.chain_acn4, 0);
  assert.equal(s.chain_acs4, '');
  assert.equal(s.temp_chip4, '0-0-0-0');
  assert.ok('total rate' in s, 'S19 spelling with a space');
  assert.equal(s.total_rateideal, 110000);
  assert.equal(s.rate_unit, 'GH');
  assert.equal(s.no_matching_work, asic.hwErrors);
});

test('stats follows the live state: a dropped board reads empty, then comes back', async () => {
  for (let s = 0; s < 600; s++) fleet.step(1000); // 20 min: board2 drops out
  const s1 = (await command('stats')).STATS as Rec[];
  assert.equal(s1[1].chain_rate3, '');
  assert.equal(s1[1].chain_acn3, 0);
  assert.equal(s1[1].temp_chip3, '0-0-0-0');
  assert.equal(s1[1].miner_count, 2);
  for (let s = 0; s < 601; s++) fleet.step(1000); // 30 min: back
  const s2 = (await command('stats')).STATS as Rec[];
  assert.equal(s2[1].chain_acn3, 114);
  assert.notEqual(s2[1].chain_rate3, '');
});

test('devs: the BTM_SOC pseudo-device with the Tenperature spelling and share counters', async () => {
  const r = await command('devs');
  assert.equal(status(r).Code, 9);
  assert.equal(status(r).Msg, '1 ASC(s)');
  const d = (r.DEVS as Rec[])[0];
  assert.equal(d.Name, 'BTM_SOC');
  assert.equal(d.Tenperature, 0);
  assert.equal(d['MHS 5s'], 0);
  assert.equal(d.Accepted, asic.shares.accepted);
});

test('pools: index from 0, Diff as a suffix string, Last Share Time as h:mm:ss, Pool Stale%%', async () => {
  const r = await command('pools');
  assert.equal(status(r).Code, 7);
  const p = (r.POOLS as Rec[])[0];
  assert.equal(p.POOL, 0);
  assert.equal(p.URL, rig.pool.config.url);
  assert.equal(p.Diff, '262K');
  assert.match(p['Last Share Time'] as string, /^\d+:\d\d:\d\d$/);
  assert.ok('Pool Stale%%' in p);
  assert.equal(p['Stratum Active'], true);
  assert.equal(p.Accepted, asic.shares.accepted);
  assert.equal(p['Difficulty Accepted'], asic.shares.diffAccepted);
});

test('version, joined reads, plain-text requests and a half-closed request', async () => {
  const v = await command('version');
  assert.equal(status(v).Code, 22);
  assert.deepEqual((v.VERSION as Rec[])[0], {
    BMMiner: '1.0.0',
    API: '3.1',
    Miner: '49.0.1.3',
    CompileTime: 'Tue Dec 6 16:12:30 CST 2022',
    Type: 'Antminer S19 Pro',
  });
  const joined = await command('summary+pools');
  assert.deepEqual(Object.keys(joined), ['summary', 'pools', 'id']);
  assert.equal(status((joined.summary as Rec[])[0]).Code, 11);
  const plain = await exchange(server.port, 'summary');
  assert.equal(status(JSON.parse(plain.slice(0, -1))).Code, 11);
  const half = await exchange(server.port, '{"command":"version"}', true);
  assert.equal(status(JSON.parse(half.slice(0, -1))).Code, 22);
});

test('unknown commands and garbage get cgminer error replies, not a dropped socket', async () => {
  const bad = await command('ascset');
  assert.equal(status(bad).STATUS, 'E');
  assert.equal(status(bad).Code, 14);
  const joined = await command('summary+reboot');
  assert.equal(status(joined).Code, 14);
  const garbage = await exchange(server.port, '{"command": nope', true);
  assert.equal(status(JSON.parse(garbage.slice(0, -1))).Code, 23);
});

test('the missing-comma quirk writes }{ between the STATS objects, as bmminer does', async () => {
  const text = await exchange(quirky.port, '{"command":"stats"}');
  assert.ok(text.includes('}{"STATS":0'));
  assert.throws(() => JSON.parse(text.slice(0, -1)));
  const repaired = JSON.parse(text.slice(0, -1).replace('}{', '},{')) as Rec;
  assert.equal((repaired.STATS as Rec[]).length, 2);
});

test('helpers: request parsing, suffix strings, chip status strings; a GPU rig is refused', async () => {
  assert.equal(parseRequest('{"command":"stats","parameter":"0"}\0'), 'stats');
  assert.equal(parseRequest('devs|0'), 'devs');
  assert.equal(parseRequest('{"command":'), null);
  assert.equal(parseRequest('{"cmd":"x"}'), null);
  assert.equal(suffixString(524288), '524K');
  assert.equal(suffixString(999), '999');
  assert.equal(suffixString(4_000_000_000), '4G');
  assert.equal(chipStatusString(Uint8Array.from([1, 1, 0, 1])), ' oox o');
  await assert.rejects(serveCgminer(fleet.rig('rig0')), (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'));
});

test('onRequest runs before each reply reads the miner: a pacer steps the fleet per request', async () => {
  const paced = new Fleet({ seed: 2, startMs: START, gpuRigs: 0, gpusPerRig: 0, asics: 1, settleS: 10 });
  let calls = 0;
  const ep = await serveCgminer(paced.rig('asic0'), {
    onRequest: () => {
      calls++;
      paced.step(1000);
    },
  });
  try {
    const elapsed = async () => ((await command('summary', ep.port)).SUMMARY as Rec[])[0].Elapsed;
    const first = (await elapsed()) as number;
    assert.equal(await elapsed(), first + 1);
    assert.equal(calls, 2);
  } finally {
    await ep.close();
  }
});
