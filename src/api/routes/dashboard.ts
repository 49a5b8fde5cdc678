// The web dashboard's pages (/, /rigs/:rig, /studies) and static assets (/assets/…: the page scripts,
// the stylesheet and the vendored uPlot build), read once from the package so it works offline.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFoundError } from '../errors.ts';

const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};
/** The pages' policy: only this origin's scripts and API; uPlot sets inline styles. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A file served as is, with its content type and a strong ETag. */
interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function staticFile(path: string): StaticFile {
  const body = readFileSync(path);
  const ext = path.slice(path.lastIndexOf('.') + 1);
  const type = TYPES[ext];
  if (type === undefined) throw new Error(`dashboard: no content type for ${path}`);
  return { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/** The dashboard's files by URL path: `/assets/<name>` and `/assets/vendor/<uPlot file>`. */
export function loadDashboardAssets(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const assets = join(DASHBOARD_DIR, 'assets');
  for (const name of readdirSync(assets))
    if (/\.(js|css|svg)$/.test(name)) files.set(`/assets/${name}`, staticFile(join(assets, name)));
  // uPlot is a dependency; its prebuilt files are served from node_modules, never from a CDN.
  const require = createRequire(import.meta.url);
  for (const name of ['uPlot.iife.min.js', 'uPlot.min.css'])
    files.set(`/assets/vendor/${name}`, staticFile(require.resolve(`uplot/dist/${name}`)));
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile, page: boolean) {
  reply
    .header('content-type', file.type)
    .header('etag', file.etag)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff');
  if (page) reply.header('content-security-policy', PAGE_CSP).header('referrer-policy', 'no-referrer');
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.send(file.body);
}

export function dashboardRoutes(app: FastifyInstance): void {
  const assets = loadDashboardAssets();
  const page = (name: string) => staticFile(join(DASHBOARD_DIR, 'pages', `${name}.html`));
  const pages = { fleet: page('fleet'), rig: page('rig'), studies: page('studies') };

  app.get('/', (request, reply) => send(request, reply, pages.fleet, true));
  app.get('/rigs/:rig', (request, reply) => send(request, reply, pages.rig, true));
  app.get('/studies', (request, reply) => send(request, reply, pages.studies, true));
  app.get('/assets/*', (request, reply) => {
    const file = assets.get(request.url.split('?')[0]);
    if (file === undefined) throw notFoundError(`no dashboard asset ${request.url.split('?')[0]}`);
    return send(request, reply, file, false);
  });
}
