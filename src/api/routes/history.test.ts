import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import {
  ArrayHistory,
  type ErrorJson,
  type HistoryRow,
  readJson,
  startTestApi,
  testDeps,
} from '../test-kit.ts';
import { DEFAULT_HISTORY_LIMIT, DEFAULT_HISTORY_WINDOW_MS } from './history.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const FIELDS = ['power_w', 'temp_core_c', 'sep_score'];
const rows: HistoryRow[] = [];
for (let i = 0; i < 40; i++) {
  const ts = NOW - 30 * 60_000 + i * 60_000; // one a minute from 30 min ago to 9 min ahead
  rows.push({
    ts,
    rig: 'rig-01',
    device: i % 2 === 0 ? 'gpu0' : 'gpu1',
    power_w: 200 + i,
    temp_core_c: 60,
    sep_score: 90 - i,
  });
}
rows.push({
  ts: NOW - 60_000,
  rig: 'rig-02',
  device: 'asic0',
  power_w: 3000,
  temp_core_c: 70,
  sep_score: 50,
});

const history = new ArrayHistory(FIELDS, rows);
const { api, url } = await startTestApi(testDeps({ history, now: () => NOW }));
const none = await startTestApi(testDeps({ history: null }));
after(() => Promise.all([api.close(), none.api.close()]));

interface HistoryJson {
  schema: number;
  rig: string;
  from_ms: number;
  to_ms: number;
  fields: string[];
  limit: number;
  truncated: boolean;
  rows: Array<Record<string, unknown>>;
}

const get = async (path: string) => {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: await readJson<HistoryJson & ErrorJson>(res) };
};

test('defaults: the last 15 minutes, all fields, limit 10,000', async () => {
  const { status, body } = await get('/api/rigs/rig-01/history');
  assert.equal(status, 200);
  assert.equal(body.schema, SCHEMA_VERSION);
  assert.equal(body.rig, 'rig-01');
  assert.equal(body.from_ms, NOW - DEFAULT_HISTORY_WINDOW_MS);
  assert.equal(body.to_ms, NOW);
  assert.deepEqual(body.fields, FIELDS);
  assert.equal(body.limit, DEFAULT_HISTORY_LIMIT);
  assert.equal(body.truncated, false);
  assert.equal(body.rows.length, 16); // minutes -15 … 0 inclusive
  assert.deepEqual(body.rows[0], {
    ts: NOW - 15 * 60_000,
    rig: 'rig-01',
    device: 'gpu1',
    power_w: 215,
    temp_core_c: 60,
    sep_score: 75,
  });
  assert.deepEqual(history.queries.at(-1), {
    rig: 'rig-01',
    fromMs: NOW - DEFAULT_HISTORY_WINDOW_MS,
    toMs: NOW,
    fields: null,
    device: undefined,
    limit: DEFAULT_HISTORY_LIMIT,
  });
});

test('from/to as epoch ms or ISO 8601, fields, device and limit are passed through', async () => {
  const from = new Date(NOW - 20 * 60_000).toISOString();
  const { status, body } = await get(
    `/api/rigs/rig-01/history?from=${from}&to=${NOW}&fields=sep_score,ts&device=gpu0&limit=3`,
  );
  assert.equal(status, 200);
  assert.deepEqual(body.fields, ['sep_score']);
  assert.equal(body.truncated, true);
  assert.deepEqual(body.rows, [
    { ts: NOW - 20 * 60_000, rig: 'rig-01', device: 'gpu0', sep_score: 80 },
    { ts: NOW - 18 * 60_000, rig: 'rig-01', device: 'gpu0', sep_score: 78 },
    { ts: NOW - 16 * 60_000, rig: 'rig-01', device: 'gpu0', sep_score: 76 },
  ]);
  const q = history.queries.at(-1);
  assert.equal(q?.device, 'gpu0');
  assert.deepEqual(q?.fields, ['sep_score']);
});

test('only `to` given: the 15 minutes before it; only `from` given: up to now', async () => {
  const to = NOW - 60 * 60_000;
  assert.equal((await get(`/api/rigs/rig-01/history?to=${to}`)).body.from_ms, to - DEFAULT_HISTORY_WINDOW_MS);
  const { body } = await get(`/api/rigs/rig-01/history?from=${NOW - 1000}`);
  assert.equal(body.to_ms, NOW);
});

test('a rig with no history gets no rows', async () => {
  const { status, body } = await get('/api/rigs/rig-99/history');
  assert.equal(status, 200);
  assert.deepEqual(body.rows, []);
});

const BAD: Array<[string, string, RegExp]> = [
  ['from=yesterday', 'from', /from must be epoch milliseconds or an ISO 8601 time/],
  ['to=2024-02-30', 'to', /to must be epoch milliseconds or an ISO 8601 time/],
  [
    `from=${NOW}&to=${NOW - 1}`,
    'from',
    /from \(2024-05-01T12:00:00.000Z\) is after to \(2024-05-01T11:59:59.999Z\)/,
  ],
  [`from=${NOW + 1}`, 'from', /is after now/],
  ['fields=sep_score,bogus', 'fields', /unknown fields entry 'bogus'; known: ts, rig, device, power_w/],
  ['fields=', 'fields', /without empty entries/],
  ['limit=0', 'limit', /limit must be an integer from 1 to 100000, got '0'/],
  ['limit=100001', 'limit', /limit must be an integer from 1 to 100000/],
  ['limit=lots', 'limit', /limit must be an integer/],
  ['device=', 'device', /device must be a non-empty name/],
  ['form=1', 'form', /unknown parameter 'form'; known parameters: from, to, fields, device, limit/],
  ['from=1&from=2', 'from', /from is given 2 times/],
];

for (const [query, param, message] of BAD) {
  test(`400 RT_API_PARAM naming '${param}' for ?${query}`, async () => {
    const before = history.queries.length;
    const { status, body } = await get(`/api/rigs/rig-01/history?${query}`);
    assert.equal(status, 400);
    assert.equal(body.error.code, 'RT_API_PARAM');
    assert.equal(body.error.param, param);
    assert.match(body.error.message, message);
    assert.equal(history.queries.length, before, 'the reader is not asked');
  });
}

test("the reader's own RT_API_PARAM is a 400 too", async () => {
  const strict = new ArrayHistory(['a'], []);
  // A reader that lists a field it then refuses (e.g. a column dropped by a schema change).
  strict.fields = () => ['a', 'b'];
  const { api: a2, url: u2 } = await startTestApi(testDeps({ history: strict }));
  try {
    const res = await fetch(`${u2}/api/rigs/r/history?fields=b`);
    assert.equal(res.status, 400);
    assert.deepEqual((await readJson(res)).error, {
      code: 'RT_API_PARAM',
      message: "unknown field 'b'",
      param: 'fields',
    });
  } finally {
    await a2.close();
  }
});

test('503 RT_API_UNAVAILABLE when no history is configured', async () => {
  const res = await fetch(`${none.url}/api/rigs/rig-01/history?limit=0`);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    error: {
      code: 'RT_API_UNAVAILABLE',
      message: 'history is not configured: enable the parquet sink in rigtune.yaml',
    },
  });
});
