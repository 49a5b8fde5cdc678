// The control routes over a recording fake of the runtime: the bearer token (none configured, missing,
// wrong: 401 before anything is read), strict bodies (400 naming the field, nothing changed), the
// results of a manual set-point (202 / 409 / 422 / 502), actions, kill switch and status.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type {
  ActionView,
  ControlApi,
  ControlMode,
  KillSwitchState,
  ManualActionRequest,
  ManualActionResult,
} from '../control-types.ts';
import { readJson, startTestApi, testDeps } from '../test-kit.ts';

const TOKEN = 'test-token-0123456789abcdef';

/** Records every call; `next` is what the next manual request gets. */
class FakeControl implements ControlApi {
  readonly calls: string[] = [];
  next: ManualActionResult = { status: 'validating', id: 'a7', to: 300 };
  #kill: KillSwitchState = { engaged: false, reason: null, changed_ms: null };
  #mode: ControlMode = 'advise';

  has(rig: string): boolean {
    return rig === 'rig-01';
  }
  async setMode(rig: string, mode: ControlMode) {
    this.calls.push(`mode ${rig} ${mode}`);
    const previous = this.#mode;
    this.#mode = mode;
    return { mode, previous };
  }
  async requestAction(rig: string, r: ManualActionRequest): Promise<ManualActionResult> {
    this.calls.push(`action ${rig} ${r.device} ${r.kind} ${r.value} ${r.reason}`);
    return this.next;
  }
  actions(rig: string, sinceMs: number, limit: number): readonly ActionView[] {
    this.calls.push(`actions ${rig} ${sinceMs} ${limit}`);
    return [];
  }
  killSwitch(): KillSwitchState {
    return this.#kill;
  }
  setKillSwitch(engaged: boolean, reason: string): KillSwitchState {
    this.calls.push(`kill ${engaged} ${reason}`);
    this.#kill = { engaged, reason: engaged ? reason : null, changed_ms: 5 };
    return this.#kill;
  }
  status() {
    return [{ rig: 'rig-01', mode: this.#mode }];
  }
}

const control = new FakeControl();
let token: string | null = TOKEN;
const { api, url } = await startTestApi(testDeps({ control, token: () => token }));
const bare = await startTestApi(testDeps({ token: () => TOKEN }));
after(async () => {
  await api.close();
  await bare.api.close();
});

function post(path: string, body: unknown, auth: string | null = `Bearer ${TOKEN}`, base = url) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth !== null) headers.authorization = auth;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${base}${path}`, { method: 'POST', headers, body: text });
}

test('no token configured: every write is 401 and says how to configure one', async () => {
  token = null;
  try {
    const res = await post('/api/killswitch', { engaged: true });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="rigtune"');
    const body = await readJson(res);
    assert.equal(body.error.code, 'RT_API_UNAUTHORIZED');
    assert.match(body.error.message, /control\.api_token_env/);
    assert.deepEqual(control.calls, []);
  } finally {
    token = TOKEN;
  }
});

test('a missing or wrong bearer token is 401, checked before the body is read', async () => {
  for (const auth of [
    null,
    'Basic dXNlcjpwdw==',
    `Bearer ${TOKEN}x`,
    'Bearer ',
    `Bearer ${TOKEN.slice(1)}`,
  ]) {
    const res = await post('/api/rigs/rig-01/autotune', '{not json', auth);
    assert.equal(res.status, 401, String(auth));
    assert.equal((await readJson(res)).error.code, 'RT_API_UNAUTHORIZED');
  }
  assert.deepEqual(control.calls, []);
  const ok = await post('/api/rigs/rig-01/autotune', { mode: 'auto' }, `bearer  ${TOKEN}`);
  assert.equal(ok.status, 200, 'the scheme is case-insensitive');
  assert.deepEqual(await ok.json(), { rig: 'rig-01', mode: 'auto', previous: 'advise' });
  control.calls.length = 0;
});

test('bad bodies are 400 naming the field, and change nothing', async () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['/api/rigs/rig-01/autotune', { mode: 'automatic' }, 'mode', /one of off, advise, auto/],
    ['/api/rigs/rig-01/autotune', {}, 'mode', /missing field/],
    ['/api/rigs/rig-01/autotune', { mode: 'auto', force: true }, 'force', /unknown field/],
    ['/api/rigs/rig-01/autotune', [1], 'body', /JSON object/],
    ['/api/rigs/rig-01/autotune', '"auto"', 'body', /JSON object/],
    [
      '/api/rigs/rig-01/actions',
      { device: 'gpu0', kind: 'power_limit_w', value: '300', reason: 'x' },
      'value',
      /expected number/,
    ],
    [
      '/api/rigs/rig-01/actions',
      { device: 'gpu0', kind: 'volts', value: 1, reason: 'x' },
      'kind',
      /power_limit_w/,
    ],
    [
      '/api/rigs/rig-01/actions',
      { device: 'gpu0', kind: 'fan_pct', value: 50, reason: '  ' },
      'reason',
      /empty/,
    ],
    ['/api/rigs/rig-01/actions', { device: 'gpu0', kind: 'fan_pct', value: 50 }, 'reason', /missing/],
    ['/api/killswitch', { engaged: 'yes' }, 'engaged', /boolean/],
  ];
  for (const [path, body, param, message] of cases) {
    const res = await post(path, body);
    const json = await readJson(res);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
    assert.equal(json.error.code, 'RT_API_PARAM');
    assert.equal(json.error.param, param, JSON.stringify(json));
    assert.match(json.error.message, message);
  }
  const bad = await post('/api/killswitch', '{"engaged": tru');
  assert.equal(bad.status, 400);
  assert.deepEqual(control.calls, []);
});

test('a manual set-point: 202 with its id, 409/422 with the guard, 502 when the device failed it', async () => {
  const body = { device: 'gpu0', kind: 'power_limit_w', value: 300, reason: 'operator test' };
  const accepted = await post('/api/rigs/rig-01/actions', body);
  assert.equal(accepted.status, 202);
  assert.deepEqual(await accepted.json(), { rig: 'rig-01', status: 'validating', id: 'a7', to: 300 });
  assert.deepEqual(control.calls, ['action rig-01 gpu0 power_limit_w 300 operator test']);
  const outcomes: [Exclude<ManualActionResult, { status: 'validating' }>, number, string][] = [
    [{ status: 'refused', guard: 'cooldown', reason: 'cooling down' }, 409, 'RT_API_REFUSED'],
    [{ status: 'refused', guard: 'kill_switch', reason: 'kill switch: test' }, 409, 'RT_API_REFUSED'],
    [{ status: 'refused', guard: 'bounds', reason: '300 W is below 310 W' }, 422, 'RT_API_REFUSED'],
    [
      { status: 'refused', guard: 'device', reason: 'gpu9 has no controllable power_limit_w' },
      422,
      'RT_API_REFUSED',
    ],
    [{ status: 'failed', reason: 'the device ignored the write' }, 502, 'RT_API_ACTION_FAILED'],
  ];
  for (const [next, status, code] of outcomes) {
    control.next = next;
    const res = await post('/api/rigs/rig-01/actions', body);
    const json = (await res.json()) as { error: { code: string; message: string; guard?: string } };
    assert.equal(res.status, status, JSON.stringify(next));
    assert.equal(json.error.code, code);
    assert.equal(json.error.message, next.reason);
    if (next.status === 'refused') assert.equal(json.error.guard, next.guard);
  }
  control.next = { status: 'validating', id: 'a7', to: 300 };
  control.calls.length = 0;
});

test('unknown rigs are 404; GET actions passes since and limit; bad query is 400', async () => {
  const res = await post('/api/rigs/rig-09/autotune', { mode: 'off' });
  assert.equal(res.status, 404);
  assert.match((await readJson(res)).error.message, /no auto-tune controller/);
  const list = await fetch(`${url}/api/rigs/rig-01/actions?since=1000&limit=5`);
  assert.equal(list.status, 200);
  assert.deepEqual(await list.json(), { schema: 1, rig: 'rig-01', actions: [] });
  assert.deepEqual(control.calls, ['actions rig-01 1000 5']);
  for (const q of ['limit=0', 'limit=1001', 'since=yesterday', 'order=asc']) {
    const bad = await fetch(`${url}/api/rigs/rig-01/actions?${q}`);
    assert.equal(bad.status, 400, q);
  }
  control.calls.length = 0;
});

test('the kill switch and the status of every rig', async () => {
  const res = await post('/api/killswitch', { engaged: true, reason: 'maintenance' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    kill_switch: { engaged: true, reason: 'maintenance', changed_ms: 5 },
  });
  const status = (await (await fetch(`${url}/api/autotune`)).json()) as Record<string, unknown>;
  assert.deepEqual(status, {
    schema: 1,
    enabled: true,
    kill_switch: { engaged: true, reason: 'maintenance', changed_ms: 5 },
    rigs: [{ rig: 'rig-01', mode: 'auto' }],
  });
  const release = await post('/api/killswitch', { engaged: false });
  assert.equal(release.status, 200);
  assert.deepEqual(control.calls, ['kill true maintenance', 'kill false operator (POST /api/killswitch)']);
});

test('without auto-tune: writes 503 (after the token), GET /api/autotune says it is off', async () => {
  const res = await post('/api/killswitch', { engaged: true }, `Bearer ${TOKEN}`, bare.url);
  assert.equal(res.status, 503);
  assert.equal((await readJson(res)).error.code, 'RT_API_UNAVAILABLE');
  assert.equal((await post('/api/killswitch', { engaged: true }, null, bare.url)).status, 401);
  const status = await (await fetch(`${bare.url}/api/autotune`)).json();
  assert.deepEqual(status, { schema: 1, enabled: false, kill_switch: null, rigs: [] });
});
