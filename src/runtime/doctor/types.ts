// What one `rigtune doctor` check found: a verdict and one plain sentence saying what is wrong (or
// right) and what to do, plus machine-readable details for `--json`.

/** ok: works; warn: works but something deserves a look; fail: this part will not work. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** The result of one check. */
export interface CheckResult {
  /** What was checked, e.g. `nvml`, `valkey`, `data dir`, `http`, `source rig1/cgminer#0`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** One plain sentence for an operator (no secrets: URLs are shown as host:port). */
  readonly message: string;
  /** Measured facts (counts, versions, latencies in ms, bytes), for `--json`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** `n thing` / `n things`. */
export function plural(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? '' : 's'}`;
}

/** Bytes as `12.3 GiB` / `512 MiB` / `900 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The error's `code` (ECONNREFUSED, EACCES…) when it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error's message, or its text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
