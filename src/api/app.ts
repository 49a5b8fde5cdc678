// Builds the fastify app of the HTTP API (health, metrics, rigs, history, SSE stream, auto-tune control,
// fleet, studies) and the web dashboard over the views the runtime hands in; listens on 127.0.0.1 by default.

import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { errorReply } from './errors.ts';
import { controlRoutes } from './routes/control.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { fleetRoute } from './routes/fleet.ts';
import { healthzRoute } from './routes/healthz.ts';
import { historyRoute } from './routes/history.ts';
import { killSwitchRoutes } from './routes/killswitch.ts';
import { metricsRoute } from './routes/metrics.ts';
import { rigRoute } from './routes/rig.ts';
import { rigsRoute } from './routes/rigs.ts';
import { streamRoute } from './routes/stream.ts';
import { studiesRoutes } from './routes/studies.ts';
import { StreamHub, type StreamHubStats } from './stream-hub.ts';
import type { ApiDeps } from './types.ts';

/** Default SSE heartbeat interval, ms. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;

export interface ListenOptions {
  /** Address to bind; default 127.0.0.1 (0.0.0.0 exposes the API to the network). */
  readonly host?: string;
  /** TCP port; 0 picks a free one; default 8080. */
  readonly port?: number;
}

/** Where the API listens once started. */
export interface ApiAddress {
  readonly host: string;
  readonly port: number;
  /** e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
}

export interface Api {
  readonly app: FastifyInstance;
  /** Starts listening; rejects (EADDRINUSE, EACCES…) when the address cannot be bound. */
  listen(options?: ListenOptions): Promise<ApiAddress>;
  /** Ends every SSE stream and stops the server. Idempotent. */
  close(): Promise<void>;
  /** Open SSE streams and their counters (collector metrics). */
  streamStats(): StreamHubStats;
}

/** The API over `deps`; routes are registered, nothing listens until `listen()`. */
export function createApi(deps: ApiDeps): Api {
  const logController = new LogController({ disableRequestLogging: true });
  const app: FastifyInstance =
    deps.logger === false
      ? Fastify({ logger: false, logController })
      : Fastify({ loggerInstance: deps.logger.child({ component: 'api' }), logController });
  const hub = new StreamHub(deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);

  app.setErrorHandler((err, request, reply) => {
    const r = errorReply(err);
    if (!r.expected) request.log.error({ err, url: request.url }, 'API request failed.');
    reply.code(r.status).send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const message = `no route ${request.method} ${path}; see docs/api.md for the routes`;
    reply.code(404).send({ error: { code: 'RT_API_NOT_FOUND', message } });
  });
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => hub.endAll());

  healthzRoute(app, deps);
  metricsRoute(app, deps);
  rigsRoute(app, deps);
  rigRoute(app, deps);
  historyRoute(app, deps);
  streamRoute(app, deps, hub);
  controlRoutes(app, deps);
  killSwitchRoutes(app, deps);
  fleetRoute(app, deps);
  studiesRoutes(app, deps);
  dashboardRoutes(app);

  let closing: Promise<void> | null = null;
  return {
    app,
    async listen(options = {}) {
      const host = options.host ?? DEFAULT_HOST;
      await app.listen({ host, port: options.port ?? DEFAULT_PORT });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
      const hostInUrl = host.includes(':') ? `[${host}]` : host;
      return { host, port, url: `http://${hostInUrl}:${port}` };
    },
    close() {
      closing ??= app.close();
      return closing;
    },
    streamStats: () => hub.stats(),
  };
}
