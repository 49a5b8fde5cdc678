// The rig page's controls: auto-tune mode and the global kill switch. Writes need the API token, kept in
// this tab's sessionStorage; without it the controls are disabled and say why; API refusals are shown.

import { getJson, getToken, postJson, setToken } from './common.js';

const MODES = ['off', 'advise', 'auto'];

export class RigControls {
  constructor(rig, onChange) {
    this.rig = rig;
    this.onChange = onChange;
    this.status = null;
    this.tokenInput = document.getElementById('token');
    this.why = document.getElementById('control-why');
    this.msg = document.getElementById('control-msg');
    this.modeButtons = MODES.map((mode) => document.getElementById(`mode-${mode}`));
    this.kill = document.getElementById('killswitch');
    this.killState = document.getElementById('killswitch-state');
    document.getElementById('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      setToken(this.tokenInput.value.trim());
      this.tokenInput.value = '';
      this.#say(getToken() === null ? 'Token forgotten.' : 'Token stored for this tab.', 'ok');
      this.#paint();
    });
    document.getElementById('token-forget').addEventListener('click', () => {
      setToken('');
      this.#say('Token forgotten.', 'ok');
      this.#paint();
    });
    for (const b of this.modeButtons) b.addEventListener('click', () => this.#setMode(b.dataset.mode));
    this.kill.addEventListener('click', () => this.#toggleKill());
  }

  /** Re-reads /api/autotune (mode of this rig, kill switch) and repaints. */
  async refresh() {
    this.status = await getJson('/api/autotune');
    this.#paint();
  }

  #rigStatus() {
    return this.status?.rigs.find((r) => r.rig === this.rig) ?? null;
  }

  #paint() {
    const token = getToken();
    const rigStatus = this.#rigStatus();
    const enabled = this.status?.enabled === true;
    let why = '';
    if (!enabled) why = 'Auto-tune is not running: no rig has an actuator: in rigtune.yaml.';
    else if (token === null)
      why =
        'The controls need the API token (control.api_token_env in rigtune.yaml; rigtune demo prints it). ' +
        'Enter it above to enable them.';
    else if (rigStatus === null)
      why = `Rig ${this.rig} has no auto-tune controller (no actuator: in rigtune.yaml).`;
    this.why.textContent = why;
    document.getElementById('token-state').textContent =
      token === null ? 'No token in this tab.' : 'A token is stored in this tab.';
    for (const b of this.modeButtons) {
      b.disabled = token === null || rigStatus === null;
      b.setAttribute('aria-pressed', String(rigStatus?.mode === b.dataset.mode));
    }
    const ks = this.status?.kill_switch ?? null;
    this.kill.disabled = token === null || !enabled;
    this.kill.setAttribute('aria-pressed', String(ks?.engaged === true));
    this.kill.textContent = ks?.engaged ? 'Release kill switch' : 'Engage kill switch';
    this.killState.textContent =
      ks === null
        ? ''
        : ks.engaged
          ? `Engaged: ${ks.reason ?? 'no reason given'}`
          : 'Released: controllers may act.';
    const mode = document.getElementById('mode-now');
    mode.textContent =
      rigStatus === null
        ? ''
        : `Running: ${rigStatus.mode}${rigStatus.mode !== rigStatus.configured_mode ? ` (file: ${rigStatus.configured_mode})` : ''}`;
  }

  #say(text, kind) {
    this.msg.textContent = text;
    this.msg.className = `msg ${kind}`;
    this.msg.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  }

  async #run(work) {
    for (const b of [...this.modeButtons, this.kill]) b.disabled = true;
    try {
      this.#say(await work(), 'ok');
    } catch (err) {
      // The API's own message (401 wrong token, 409 refused…), never a guess.
      this.#say(
        err.status === 401
          ? `Refused (401): ${err.message}`
          : `Failed (${err.status ?? 'network'}): ${err.message}`,
        'error',
      );
    }
    await this.refresh().catch(() => this.#paint());
    this.onChange?.();
  }

  #setMode(mode) {
    return this.#run(async () => {
      const r = await postJson(`/api/rigs/${encodeURIComponent(this.rig)}/autotune`, { mode });
      return `Auto-tune mode of ${r.rig}: ${r.mode} (was ${r.previous}).`;
    });
  }

  #toggleKill() {
    const engage = this.status?.kill_switch?.engaged !== true;
    return this.#run(async () => {
      const body = engage
        ? { engaged: true, reason: `operator on the dashboard (rig ${this.rig} page)` }
        : { engaged: false };
      const r = await postJson('/api/killswitch', body);
      return r.kill_switch.engaged ? 'Kill switch engaged: no controller acts.' : 'Kill switch released.';
    });
  }
}
