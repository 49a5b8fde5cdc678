// Polls one ASIC over the cgminer API: identifies the firmware once (again after a miner restart),
// sends the dialect's minimal command set (joined as `a+b` where accepted), maps the replies purely.

import type { Clock } from '../../core/clock.ts';
import { SourceError } from '../../core/errors.ts';
import type { SourceContext } from '../../core/source.ts';
import {
  type CgminerClient,
  createCgminerClient,
  EXPECTED_QUIRKS,
  type MinerLocks,
  multiReplyPart,
  type QuirkName,
} from '../../protocols/cgminer/index.ts';
import { MappedSource, type SourceDeps } from '../common/index.ts';
import { detectDialect, type Identity } from './detect.ts';
import { commandsOf, DIALECTS, type Dialect, type DialectName } from './dialects/index.ts';
import { type CgminerMapResult, mapCgminer } from './map.ts';
import type { CgminerOptions } from './options.ts';
import { rowsOf } from './rules.ts';
import { QuirkLog, toNumber } from './values.ts';

/** What the cgminer source needs besides its options; all optional but the rig. */
export interface CgminerSourceDeps extends SourceDeps {
  /** Jitter source for retry backoff, uniform [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Per-miner locks; default the process-wide ones (one connection per miner across sources). */
  readonly locks?: MinerLocks;
  /** Clock for retry sleeps; default the poll context's clock. */
  readonly clock?: Clock;
}

type Fetched = Map<string, unknown>;

/** The state that outlives a poll: identity, whether joined commands work, warnings already given. */
class CgminerPoller {
  readonly #options: CgminerOptions;
  readonly #deps: CgminerSourceDeps;
  readonly #rig: string;
  #identity: Identity | null = null;
  #multiRefused = false;
  #lastElapsedS: number | null = null;
  readonly #warned = new Set<string>();

  constructor(options: CgminerOptions, deps: CgminerSourceDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#rig = options.rig ?? deps.rig;
  }

  /**
   * Notes once per source that the replies use the expected format `q` (EXPECTED_QUIRKS: trailing NUL,
   * numbers as strings, …): routine and read exactly, so it goes to `deps.note`, never `deps.warn`.
   */
  #noteExpected(q: QuirkName): void {
    const key = `quirk:${q}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    const message = `Miner replies use the '${q}' format, expected for this firmware; read as is (see sources/cgminer/README.md).`;
    this.#deps.note?.(message, { rig: this.#rig, field: 'quirks' });
  }

  /** Pending once-only warnings of this poll, handed to MappedSource with the result. */
  #once(key: string, message: string, out: string[]): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    out.push(message);
  }

  #client(ctx: SourceContext): CgminerClient {
    const o = this.#options;
    return createCgminerClient({
      host: o.host,
      port: o.port,
      timeoutMs: o.timeout_ms,
      connectTimeoutMs: o.connect_timeout_ms,
      retries: o.retries,
      backoffMs: o.backoff_ms,
      backoffMaxMs: o.backoff_max_ms,
      maxReplyBytes: o.max_reply_bytes,
      jsonFraming: o.json_framing,
      clock: this.#deps.clock ?? ctx.clock,
      random: this.#deps.random ?? Math.random,
      locks: this.#deps.locks,
    });
  }

  /**
   * One command into `fetched`. A required command's failure is thrown; an optional one's is a
   * warning (its fields stay null), except a transient failure when `transientFatal` (the miner is down).
   */
  async #get(
    client: CgminerClient,
    command: string,
    required: boolean,
    s: PollState,
    transientFatal = false,
  ) {
    try {
      const reply = await client.request(command, { signal: s.ctx.signal });
      s.fetched.set(command, reply.value);
      s.quirks.addAll(reply.quirks);
    } catch (err) {
      if (required || !(err instanceof SourceError) || s.ctx.signal.aborted) throw err;
      if (transientFatal && err.transient) throw err;
      const message = `Optional command '${command}' failed; its fields are null: ${err.message}`;
      // A status error is permanent (firmware without the command): say it once. Others every time.
      if (err.kind === 'status') this.#once(`status:${command}`, message, s.warnings);
      else s.warnings.push(message);
    }
  }

  async #identify(client: CgminerClient, s: PollState): Promise<Identity> {
    const forced = this.#options.dialect;
    // `version` is optional (not every firmware has it) but a miner that cannot be reached fails here.
    await this.#get(client, 'version', false, s, true);
    if (forced !== 'auto') {
      const seen = detectDialect({ version: s.fetched.get('version') }, s.quirks);
      return { ...seen, dialect: forced as DialectName, evidence: `configured dialect ${forced}` };
    }
    let id = detectDialect({ version: s.fetched.get('version') }, s.quirks);
    for (const command of ['summary', 'stats']) {
      if (id.dialect !== 'cgminer') break;
      await this.#get(client, command, command === 'summary', s);
      id = detectDialect(Object.fromEntries(s.fetched), s.quirks);
    }
    if (id.dialect === 'cgminer') {
      const where = `${this.#options.host}:${this.#options.port}`;
      const msg = `Unknown cgminer-family firmware at ${where} (${id.evidence}); reading it as generic cgminer (summary totals only). Please report its 'version' and 'stats' replies.`;
      this.#once('unknown-dialect', msg, s.warnings);
    }
    return id;
  }

  async #fetchAll(client: CgminerClient, dialect: Dialect, s: PollState): Promise<void> {
    const wanted = commandsOf(dialect, this.#options.pools).filter((c) => !s.fetched.has(c));
    const o = this.#options;
    // Text framing has no joined form: one command per connection.
    const joined =
      dialect.multiCommand && o.multi_command && o.json_framing && !this.#multiRefused && wanted.length > 1;
    if (joined) {
      try {
        const reply = await client.request(wanted.join('+'), { signal: s.ctx.signal });
        s.quirks.addAll(reply.quirks);
        for (const command of wanted) {
          try {
            s.fetched.set(command, multiReplyPart(reply.value, command));
          } catch (err) {
            if (dialect.required.includes(command)) throw err;
            this.#once(
              `part:${command}`,
              `Optional command '${command}' failed; its fields are null: ${(err as Error).message}`,
              s.warnings,
            );
          }
        }
        return;
      } catch (err) {
        if (!(err instanceof SourceError) || err.transient || s.ctx.signal.aborted) throw err;
        // Some S19 firmware refuses joined commands (pyasic rpc/base.py): one per connection from now on.
        this.#multiRefused = true;
        this.#once(
          'multi',
          `Miner refused joined commands (${err.message}); sending one command per connection.`,
          s.warnings,
        );
      }
    }
    for (const command of wanted)
      if (!s.fetched.has(command)) await this.#get(client, command, dialect.required.includes(command), s);
  }

  async read(ctx: SourceContext): Promise<CgminerMapResult> {
    const s: PollState = { ctx, fetched: new Map(), quirks: new QuirkLog(), warnings: [] };
    const client = this.#client(ctx);
    const identity = this.#identity ?? (await this.#identify(client, s));
    this.#identity = identity;
    const dialect = DIALECTS[identity.dialect];
    await this.#fetchAll(client, dialect, s);
    const replies = Object.fromEntries(s.fetched);
    const result = mapCgminer(dialect, replies, {
      ts: ctx.clock.nowMs(),
      rig: this.#rig,
      identity,
      quirks: s.quirks.list(),
    });
    // Expected formats are noted; repairs of malformed or lossy replies are warnings. Both once.
    for (const q of result.quirks)
      if (EXPECTED_QUIRKS.has(q)) this.#noteExpected(q);
      else
        this.#once(
          `quirk:${q}`,
          `Miner replies show the '${q}' quirk; handled (see sources/cgminer/README.md).`,
          s.warnings,
        );
    this.#noteRestart(replies);
    return { ...result, warnings: [...s.warnings, ...result.warnings] };
  }

  /** `Elapsed` going backwards means the miner restarted (maybe updated): identify again next poll. */
  #noteRestart(replies: Record<string, unknown>): void {
    const row = rowsOf(replies, { command: 'summary', section: 'SUMMARY' })[0];
    const elapsed = row === undefined ? null : toNumber(row.Elapsed, new QuirkLog());
    if (elapsed !== null && this.#lastElapsedS !== null && elapsed < this.#lastElapsedS)
      this.#identity = null;
    if (elapsed !== null) this.#lastElapsedS = elapsed;
  }
}

interface PollState {
  readonly ctx: SourceContext;
  readonly fetched: Fetched;
  readonly quirks: QuirkLog;
  readonly warnings: string[];
}

/** A Source (kind 'cgminer') reading one miner; options already validated. */
export function createCgminerSource(options: CgminerOptions, deps: CgminerSourceDeps): MappedSource {
  const poller = new CgminerPoller(options, deps);
  return new MappedSource('cgminer', { ...deps, rig: options.rig ?? deps.rig }, options.interval_ms, (ctx) =>
    poller.read(ctx),
  );
}
