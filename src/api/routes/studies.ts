// GET /api/studies lists the A-B-A studies (<data_dir>/studies/<id>/) and backtests
// (<data_dir>/backtests/<id>/) on disk; /reports/… serves their report files read-only, nothing else.

import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { notFoundError } from '../errors.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import {
  type BacktestFacts,
  backtestFacts,
  type StudyFacts,
  type StudyVerdict,
  stampOf,
  studyFacts,
  studyVerdict,
} from '../study-summary.ts';
import type { ApiDeps } from '../types.ts';

/** Where each kind lives under data_dir and its own JSON file. */
const KINDS = {
  studies: { kind: 'study', meta: 'study.json' },
  backtests: { kind: 'backtest', meta: 'backtest.json' },
} as const;
type KindDir = keyof typeof KINDS;

/** A study or backtest id: a directory name without separators or dots in front (no traversal). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Largest study.json / backtest.json / report.json read for the list, bytes. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Parsed files kept between requests before the cache starts over. */
const MAX_CACHED = 2000;
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** One study or backtest as GET /api/studies lists it; null fields are unknown. */
export interface StudyEntry {
  readonly kind: 'study' | 'backtest';
  readonly id: string;
  /** Study: its treatment and rigs; backtest: its configurations and the one reported. */
  readonly title: string | null;
  /** Study: running, done or aborted; backtest: done (its JSON is written when it ends). */
  readonly status: string | null;
  /** When it started, epoch ms: study.json created_ms; a backtest's default folder name (UTC stamp). */
  readonly created_ms: number | null;
  /** When it ended, epoch ms: the study's last `end` marker; when backtest.json was written. */
  readonly ended_ms: number | null;
  /** Newest modification time of its files, epoch ms. */
  readonly updated_ms: number;
  /** URLs of its files that exist now (report.html, report.json, study.json / backtest.json). */
  readonly report_url: string | null;
  readonly report_json_url: string | null;
  readonly data_url: string | null;
  /** What study.json says (studies only). */
  readonly study: StudyFacts | null;
  /** The pooled verdict of the analyze report.json; null before `rigtune study analyze` ran. */
  readonly verdict: StudyVerdict | null;
  /** The headline of backtest.json (backtests only). */
  readonly backtest: BacktestFacts | null;
  /** Why a JSON file could not be read (half-written, invalid, too large, not ours); null when fine. */
  readonly error: string | null;
}

type Json = Record<string, unknown>;
type FileStat = { mtimeMs: number; size: number };
/** Parsed JSON files by path, reused while their mtime and size stay the same (the page re-lists). */
export type JsonCache = Map<string, { mtimeMs: number; size: number; read: ReadJson }>;
type ReadJson = { json: Json | null; error: string | null };

/** A regular file (not a link, not a directory) at `path`: its mtime and size; null otherwise. */
async function regularFile(path: string): Promise<FileStat | null> {
  try {
    const s = await lstat(path);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : null;
  } catch {
    return null; // absent or unreadable: the entry simply lacks this file
  }
}

async function readJson(path: string, stat: FileStat, cache: JsonCache): Promise<ReadJson> {
  const hit = cache.get(path);
  if (hit !== undefined && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.read;
  let read: ReadJson;
  if (stat.size > MAX_JSON_BYTES) read = { json: null, error: `larger than ${MAX_JSON_BYTES} bytes` };
  else
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      read =
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
          ? { json: parsed as Json, error: null }
          : { json: null, error: 'not a JSON object' };
    } catch (err) {
      // Half-written (a run still going) or damaged: listed with the reason, never a failed request.
      read = { json: null, error: `unreadable: ${err instanceof Error ? err.message : String(err)}` };
    }
  cache.set(path, { ...stat, read });
  return read;
}

function studyTitle(s: StudyFacts): string {
  const rigs = s.rigs.length <= 3 ? s.rigs.join(', ') : `${s.rigs.length} rigs`;
  return `${s.treatment} on ${rigs} (${s.devices} device${s.devices === 1 ? '' : 's'})`;
}

function backtestTitle(b: BacktestFacts): string {
  return b.configs <= 1 ? b.headline : `${b.configs} configurations; picked ${b.headline}`;
}

async function entryOf(
  dataDir: string,
  dir: KindDir,
  id: string,
  cache: JsonCache,
): Promise<StudyEntry | null> {
  const base = join(dataDir, dir, id);
  const { kind, meta: metaName } = KINDS[dir];
  const [report, reportJson, data] = await Promise.all(
    ['report.html', 'report.json', metaName].map((f) => regularFile(join(base, f))),
  );
  if (report === null && reportJson === null && data === null) return null; // nothing written yet
  const none: ReadJson = { json: null, error: null };
  const meta = data === null ? none : await readJson(join(base, metaName), data, cache);
  const analysed =
    kind === 'study' && reportJson !== null
      ? await readJson(join(base, 'report.json'), reportJson, cache)
      : none;
  const study = kind === 'study' && meta.json !== null ? studyFacts(meta.json) : null;
  const backtest = kind === 'backtest' && meta.json !== null ? backtestFacts(meta.json) : null;
  const verdict = analysed.json === null ? null : studyVerdict(analysed.json);
  const notOurs =
    meta.json !== null && study === null && backtest === null ? `not a rigtune ${metaName}` : null;
  const badReport =
    analysed.json !== null && verdict === null ? 'report.json: not a rigtune study report' : null;
  const error =
    meta.error ?? notOurs ?? (analysed.error === null ? badReport : `report.json: ${analysed.error}`);
  const url = (file: string) => `/reports/${dir}/${encodeURIComponent(id)}/${file}`;
  return {
    kind,
    id,
    title: study !== null ? studyTitle(study) : backtest !== null ? backtestTitle(backtest) : null,
    status: study?.status ?? (backtest !== null ? 'done' : null),
    created_ms: study?.created_ms ?? (kind === 'backtest' ? stampOf(id) : null),
    ended_ms:
      study !== null ? study.ended_ms : backtest !== null && data !== null ? Math.round(data.mtimeMs) : null,
    updated_ms: Math.max(...[report, reportJson, data].map((f) => f?.mtimeMs ?? 0)),
    report_url: report === null ? null : url('report.html'),
    report_json_url: reportJson === null ? null : url('report.json'),
    data_url: data === null ? null : url(metaName),
    study,
    verdict,
    backtest,
    error,
  };
}

/** Every study and backtest under `dataDir`, newest first; absent directories have none. */
export async function listStudies(dataDir: string, cache: JsonCache = new Map()): Promise<StudyEntry[]> {
  const out: StudyEntry[] = [];
  for (const dir of Object.keys(KINDS) as KindDir[]) {
    let names: string[];
    try {
      // Only real directories: a symbolic link could point outside data_dir.
      names = (await readdir(join(dataDir, dir), { withFileTypes: true }))
        .filter((d) => d.isDirectory() && ID.test(d.name))
        .map((d) => d.name);
    } catch {
      continue; // no studies (or backtests) yet
    }
    for (const e of await Promise.all(names.map((id) => entryOf(dataDir, dir, id, cache))))
      if (e !== null) out.push(e);
  }
  return out.sort((a, b) => b.updated_ms - a.updated_ms || (a.id < b.id ? -1 : 1));
}

export function studiesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const cache: JsonCache = new Map();
  app.get('/api/studies', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const dataDir = deps.dataDir ?? null;
    if (cache.size > MAX_CACHED) cache.clear(); // files of studies since removed
    return { schema: SCHEMA_VERSION, studies: dataDir === null ? [] : await listStudies(dataDir, cache) };
  });

  app.get<{ Params: { dir: string; id: string; file: string } }>(
    '/reports/:dir/:id/:file',
    async (request, reply) => {
      rejectUnknownParams(request.query as Query, []);
      const { dir, id, file } = request.params;
      const dataDir = deps.dataDir ?? null;
      const known = dir === 'studies' || dir === 'backtests';
      const allowed = known && ['report.html', 'report.json', KINDS[dir as KindDir].meta].includes(file);
      const missing = () =>
        notFoundError(`no report file ${request.url.split('?')[0]}; GET /api/studies lists them`);
      if (dataDir === null || !allowed || !ID.test(id)) throw missing();
      const dirStat = await lstat(join(dataDir, dir, id)).catch(() => null);
      const path = join(dataDir, dir, id, file);
      if (dirStat === null || !dirStat.isDirectory() || (await regularFile(path)) === null) throw missing();
      const ext = file.slice(file.lastIndexOf('.') + 1);
      reply.header('content-type', TYPES[ext]).header('x-content-type-options', 'nosniff');
      // A report runs in an opaque origin: its scripts cannot read the dashboard's token or call the API.
      if (ext === 'html') reply.header('content-security-policy', 'sandbox allow-scripts allow-popups');
      return reply.send(createReadStream(path));
    },
  );
}
