// `rigtune doctor`'s source lines: every source of rigtune.yaml read once through `sources probe`'s
// reader, each answer or failure put in plain words with a hint for its kind of error.

import type { Config } from '../config/index.ts';
import type { CheckResult } from '../runtime/doctor/index.ts';
import type { ProbeOptions, ProbeResult } from './sources-probe.ts';
import { probeConfigured } from './sources-probe-config.ts';

/** What to look at, per SourceError kind (and `config` for options a source refused). */
export const SOURCE_HINTS: Readonly<Record<string, string>> = {
  connect:
    'nothing listens there: is the miner running, with its API enabled, on this host and port (and the host up)?',
  timeout:
    'no complete answer in time: wrong port, a firewall dropping packets, or the API bound to another ' +
    'interface; raise timeout_ms if the miner is just slow',
  reset:
    'the connection was closed mid-reply: the API may only allow other hosts (cgminer --api-allow, ' +
    'api-network) or another service owns the port',
  protocol:
    "something answers, but not in this kind's protocol: check `kind` and the port " +
    '(`rigtune sources probe HOST:PORT` tells what answers there)',
  status: 'the API answered with an error: check its access settings (read-only mode, token, password)',
  unsupported: 'this source cannot work on this machine (library, driver or command missing)',
  config: 'the options are not valid for this kind: see docs/config.md',
  internal: 'an unexpected error (a bug): please report it with this message',
};

/** `model X, firmware Y` from a probe's identity, or ''. */
function identityText(r: ProbeResult): string {
  const id = r.identity;
  const parts = [id.dialect && `dialect ${id.dialect}`, id.model, id.firmware && `firmware ${id.firmware}`];
  const text = parts.filter((p) => p !== undefined && p !== '').join(', ');
  return text === '' ? '' : ` (${text})`;
}

/** One check line per probe result. */
export function sourceCheck(r: ProbeResult): CheckResult {
  const check = `source ${r.address}`;
  if (r.ok) {
    const n = r.snapshots.length;
    const details = { kind: r.kind, devices: n, identity: r.identity, warnings: r.warnings };
    if (n === 0)
      return {
        check,
        status: 'warn',
        message: `${r.kind} answers${identityText(r)} but reports no device: is it mining, and are its devices enabled?`,
        details,
      };
    // The source's notes are reply quirks it handled (trailing NUL, numbers as strings): kept in details.
    return {
      check,
      status: 'ok',
      message: `${r.kind} answers${identityText(r)}: ${n} device${n === 1 ? '' : 's'}`,
      details,
    };
  }
  const e = r.attempts[0]?.error ?? { code: 'RT_SOURCE_PROTOCOL', kind: 'internal', message: 'no answer' };
  return {
    check,
    status: 'fail',
    message: `${e.message} [${e.code}]: ${SOURCE_HINTS[e.kind] ?? SOURCE_HINTS.internal}`,
    details: { kind: r.kind, error_kind: e.kind, code: e.code, error: e.message },
  };
}

/** Reads every configured source once (in parallel) and returns one check per source, in file order. */
export async function sourceChecks(config: Config, options: ProbeOptions): Promise<CheckResult[]> {
  return (await probeConfigured(config, options)).map(sourceCheck);
}
