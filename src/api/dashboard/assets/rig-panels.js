// The rig page's lists: active advice with its reasons, and the action log with each action's outcome
// (verified read-back, validated against its baseline, or rolled back and why).

import { el, formatTime } from './common.js';

/** Renders the active advice (payloads by id) into `list`, most severe first. */
export function renderAdvice(list, advice) {
  const order = { critical: 0, warning: 1, info: 2 };
  const items = [...advice.values()].sort(
    (a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3) || (a.raised_ms ?? 0) - (b.raised_ms ?? 0),
  );
  list.textContent = '';
  if (items.length === 0) {
    list.append(el('li', { class: 'muted', text: 'No open advice.' }));
    return;
  }
  for (const p of items) {
    const target = p.target?.device ?? 'whole rig';
    const delta = p.delta
      ? ` · ${p.delta.setpoint ?? ''} ${p.delta.by > 0 ? '+' : ''}${p.delta.by ?? ''} ${p.delta.unit ?? ''}`
      : '';
    list.append(
      el(
        'li',
        { 'data-advice': p.id },
        el('span', { class: `sev sev-${p.severity}`, text: p.severity ?? 'info' }),
        el('strong', { text: `${p.kind} · ${target}${delta}` }),
        el('span', {
          class: 'muted',
          text: ` — since ${formatTime(p.raised_ms)}${p.source === 'autotune' ? ' · auto-tune' : ''}`,
        }),
        el('div', { text: p.reason ?? '' }),
      ),
    );
  }
}

function outcome(a) {
  if (a.status === 'validated') return 'validated (kept as last-known-good)';
  if (a.status === 'rolled_back') return `rolled back${a.rollback_reason ? `: ${a.rollback_reason}` : ''}`;
  if (a.failure !== null) return `failed at ${a.failure.phase}: ${a.failure.error}`;
  if (a.status === 'verified') return `verified (read back ${a.readback ?? '—'}), validating`;
  if (a.status === 'applied') return 'applied, reading back';
  return a.status;
}

const value = (v) => (v === null ? 'default' : String(v));

/** Renders the journaled actions (oldest first from the API) into `tbody`, newest first. */
export function renderActions(tbody, actions) {
  tbody.textContent = '';
  if (actions.length === 0) {
    const tr = tbody.insertRow();
    const td = tr.insertCell();
    td.colSpan = 6;
    td.className = 'muted';
    td.textContent = 'No actions journaled for this rig.';
    return;
  }
  for (const a of [...actions].reverse()) {
    const tr = tbody.insertRow();
    tr.dataset.action = a.id;
    for (const text of [
      formatTime(a.ts),
      a.device,
      `${a.setpoint}: ${value(a.from)} → ${value(a.to)}`,
      a.purpose,
      a.reason,
    ])
      tr.insertCell().textContent = text;
    const td = tr.insertCell();
    td.className = `outcome-${a.status}`;
    td.textContent = outcome(a);
    td.title = `updated ${formatTime(a.updated_ms, true)}`;
  }
}
