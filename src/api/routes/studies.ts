// GET /api/studies lists the A-B-A studies (<data_dir>/studies/<id>/) and backtests
// (<data_dir>/backtests/<id>/) on disk; /reports/… serves their report files read-only, nothing else.

import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import { notFoundError } from '../errors.ts';
import { type Query, rejectUnknownParams } from '../params.ts';
import type { ApiDeps } from '../types.ts';

/** Where each kind lives under data_dir and its own JSON file. */
const KINDS = {
  studies: { kind: 'study', meta: 'study.json' },
  backtests: { kind: 'backtest', meta: 'backtest.json' },
} as const;
type KindDir = keyof typeof KINDS;

/** A study or backtest id: a directory name without separators or dots in front (no traversal). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Largest study.json / backtest.json read for the list, bytes (a report's numbers live elsewhere). */
const MAX_META_BYTES = 4 * 1024 * 1024;
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** One study or backtest as GET /api/studies lists it; null fields are unknown. */
export interface StudyEntry {
  readonly kind: 'study' | 'backtest';
  readonly id: string;
  readonly title: string | null;
  readonly status: string | null;
  /** When it started or was made, epoch ms, from its JSON; null when the JSON does not say. */
  readonly created_ms: number | null;
  /** Newest modification time of its files, epoch ms. */
  readonly updated_ms: number;
  /** URLs of its files that exist now (report.html, report.json, study.json / backtest.json). */
  readonly report_url: string | null;
  readonly report_json_url: string | null;
  readonly data_url: string | null;
  /** Why its JSON could not be read (half-written, invalid, too large); null when fine or absent. */
  readonly error: string | null;
}

/** A regular file (not a link, not a directory) at `path`: its mtime and size; null otherwise. */
async function regularFile(path: string): Promise<{ mtimeMs: number; size: number } | null> {
  try {
    const s = await lstat(path);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : null;
  } catch {
    return null; // absent or unreadable: the entry simply lacks this file
  }
}

function firstString(meta: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of keys) if (typeof meta[k] === 'string' && meta[k] !== '') return meta[k] as string;
  return null;
}

function firstTime(meta: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const k of keys) {
    const v = meta[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && Number.isFinite(Date.parse(v))) return Date.parse(v);
  }
  return null;
}

async function readMeta(
  path: string,
  size: number,
): Promise<{ meta: Record<string, unknown> | null; error: string | null }> {
  if (size > MAX_META_BYTES) return { meta: null, error: `larger than ${MAX_META_BYTES} bytes` };
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { meta: parsed as Record<string, unknown>, error: null };
    return { meta: null, error: 'not a JSON object' };
  } catch (err) {
    // Half-written (a run still going) or damaged: listed with the reason, never a failed request.
    return { meta: null, error: `unreadable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function entryOf(dataDir: string, dir: KindDir, id: string): Promise<StudyEntry | null> {
  const base = join(dataDir, dir, id);
  const { kind, meta: metaName } = KINDS[dir];
  const [report, reportJson, data] = await Promise.all(
    ['report.html', 'report.json', metaName].map((f) => regularFile(join(base, f))),
  );
  if (report === null && reportJson === null && data === null) return null; // nothing written yet
  const { meta, error } =
    data === null ? { meta: null, error: null } : await readMeta(join(base, metaName), data.size);
  const url = (file: string) => `/reports/${dir}/${encodeURIComponent(id)}/${file}`;
  const m = meta ?? {};
  return {
    kind,
    id,
    title: firstString(m, ['title', 'name', 'label', 'treatment']),
    status: firstString(m, ['status', 'state', 'verdict', 'phase']),
    created_ms: firstTime(m, ['created_ms', 'started_ms', 'start_ms', 'ts', 'created_at', 'started_at']),
    updated_ms: Math.max(...[report, reportJson, data].map((f) => f?.mtimeMs ?? 0)),
    report_url: report === null ? null : url('report.html'),
    report_json_url: reportJson === null ? null : url('report.json'),
    data_url: data === null ? null : url(metaName),
    error,
  };
}

/** Every study and backtest under `dataDir`, newest first; absent directories have none. */
export async function listStudies(dataDir: string): Promise<StudyEntry[]> {
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
    for (const e of await Promise.all(names.map((id) => entryOf(dataDir, dir, id))))
      if (e !== null) out.push(e);
  }
  return out.sort((a, b) => b.updated_ms - a.updated_ms || (a.id < b.id ? -1 : 1));
}

export function studiesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/studies', async (request) => {
    rejectUnknownParams(request.query as Query, []);
    const dataDir = deps.dataDir ?? null;
    return { schema: SCHEMA_VERSION, studies: dataDir === null ? [] : await listStudies(dataDir) };
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
