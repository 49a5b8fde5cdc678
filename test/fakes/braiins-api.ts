// A stateful fake of the Braiins OS public REST API (/api/v1) on 127.0.0.1 port 0: login tokens, the
// tuner's power target and its constraints, shaped as wire-formats §3.4 and the BOS OpenAPI document.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Routes the fake serves, by short name. */
export type BraiinsRoute = 'login' | 'constraints' | 'tuner-state' | 'power-target' | 'power-target-default';

/**
 * Injected misbehaviour of one route: `refuse` answers 400 with an error body; `ignore` answers 200
 * as if applied but keeps the old value (the read-back shows it); `hang` never answers; `garbage`
 * answers 200 with an HTML page; `server-error` answers 500; `missing` answers 404 (older firmware).
 */
export type BraiinsFault = 'refuse' | 'ignore' | 'hang' | 'garbage' | 'server-error' | 'missing';

/** One request the fake received. */
export interface BraiinsRequest {
  readonly method: string;
  readonly path: string;
  /** The `authorization` header as sent (a token), or null. */
  readonly authorization: string | null;
  /** The parsed JSON body, or null when there was none. */
  readonly body: unknown;
}

export interface FakeBraiinsOptions {
  readonly username?: string;
  readonly password?: string;
  /** Current power target, W. Default 3500. */
  readonly powerTargetW?: number;
  /** Tuner constraints: min / max / default power target, W. Defaults 2800 / 4200 / 3500. */
  readonly minW?: number;
  readonly maxW?: number;
  readonly defaultW?: number;
  /** false: `tuner_constraints` has no `power_target` (firmware without constraints). Default true. */
  readonly constraints?: boolean;
  /** Tuner mode reported by tuner-state. Default 'power'. */
  readonly mode?: 'power' | 'hashrate' | 'off';
  /** Called with each request as it arrives (event-driven waits in tests). */
  readonly onRequest?: (request: BraiinsRequest) => void;
}

export interface FakeBraiins {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: readonly BraiinsRequest[];
  /** The live state: the power target in force, W. */
  powerTargetW(): number;
  /** Sets a standing fault on `route` (null clears it). */
  fault(route: BraiinsRoute, fault: BraiinsFault | null): void;
  /** Invalidates every token issued so far (the next call with one gets 401). */
  expireTokens(): void;
  /** Most write requests (PUT) in progress at any one time. */
  maxWritesInFlight(): number;
  /** Answers every hung request with 503 and lets new ones through (ends a `hang`). */
  releaseHung(): void;
  close(): Promise<void>;
}

const BASE = '/api/v1';
const PATHS: Record<string, BraiinsRoute> = {
  [`POST ${BASE}/auth/login`]: 'login',
  [`GET ${BASE}/configuration/constraints`]: 'constraints',
  [`GET ${BASE}/performance/tuner-state`]: 'tuner-state',
  [`PUT ${BASE}/performance/power-target`]: 'power-target',
  [`PUT ${BASE}/performance/power-target/default`]: 'power-target-default',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

// Error bodies were not captured from a real miner; the driver branches on the HTTP status only.
function errorBody(status: number, message: string): unknown {
  return { code: status === 401 ? 16 : 3, message, details: [] };
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, errorBody(status, message));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') resolve(null);
      else
        try {
          resolve(JSON.parse(text));
        } catch {
          resolve(text);
        }
    });
  });
}

/** Starts the fake miner. */
export async function startBraiinsApi(options: FakeBraiinsOptions = {}): Promise<FakeBraiins> {
  const username = options.username ?? 'root';
  const password = options.password ?? '';
  const minW = options.minW ?? 2800;
  const maxW = options.maxW ?? 4200;
  const defaultW = options.defaultW ?? 3500;
  let targetW = options.powerTargetW ?? 3500;
  const faults = new Map<BraiinsRoute, BraiinsFault>();
  const tokens = new Set<string>();
  const requests: BraiinsRequest[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let issued = 0;
  let writes = 0;
  let maxWrites = 0;

  const tunerState = () => {
    const mode = options.mode ?? 'power';
    if (mode === 'off') return { overall_tuner_state: 1 };
    if (mode === 'hashrate')
      return {
        overall_tuner_state: 5,
        mode_state: { hashratetargetmodestate: { current_target: { terahash_per_second: 200.0 } } },
      };
    const profile = {
      created: { seconds: 1744000000, nanos: 0 },
      estimated_power_consumption: { watt: targetW - 20 },
      measured_hashrate: { gigahash_per_second: targetW * 72.17 },
      target: { watt: targetW },
    };
    return {
      overall_tuner_state: 5,
      mode_state: { powertargetmodestate: { current_target: { watt: targetW }, profile } },
    };
  };

  const constraints = () => ({
    tuner_constraints: {
      default_mode: 1,
      enabled: { default: true },
      ...(options.constraints === false
        ? {}
        : { power_target: { default: { watt: defaultW }, min: { watt: minW }, max: { watt: maxW } } }),
      hashrate_target: {
        default: { terahash_per_second: 200.0 },
        min: { terahash_per_second: 100.0 },
        max: { terahash_per_second: 260.0 },
      },
    },
    cooling_constraints: { default_cooling_mode: 1 },
  });

  /** The status and body `route` answers with (faults hang and garbage are handled by the caller). */
  function outcome(route: BraiinsRoute, body: unknown, fault: BraiinsFault | undefined): [number, unknown] {
    if (fault === 'server-error') return [500, errorBody(500, 'internal error')];
    if (fault === 'missing') return [404, errorBody(404, 'not found')];
    if (fault === 'refuse') return [400, errorBody(400, 'rejected by the fake (fault injection)')];
    const apply = fault !== 'ignore';
    switch (route) {
      case 'login':
        return [500, errorBody(500, 'login is answered by handle()')];
      case 'constraints':
        return [200, constraints()];
      case 'tuner-state':
        return [200, tunerState()];
      case 'power-target-default':
        if (apply) targetW = defaultW;
        return [200, { watt: defaultW }];
      case 'power-target': {
        const watt = (body as { watt?: unknown } | null)?.watt;
        if (typeof watt !== 'number' || !Number.isInteger(watt) || watt < 0)
          return [400, errorBody(400, 'watt must be a non-negative integer')];
        if (watt < minW || watt > maxW) return [400, errorBody(400, `power target ${watt} W out of range`)];
        if (apply) targetW = watt;
        return [200, { watt }];
      }
    }
  }

  function answer(route: BraiinsRoute, body: unknown, res: ServerResponse): void {
    const fault = faults.get(route);
    if (fault === 'hang') hung.add(res);
    else if (fault === 'garbage')
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><title>502 Bad Gateway</title></html>');
    else sendJson(res, ...outcome(route, body, fault));
  }

  function login(body: unknown, res: ServerResponse): void {
    const fault = faults.get('login');
    const b = body as { username?: unknown; password?: unknown } | null;
    if (fault === 'hang') hung.add(res);
    else if (fault === 'refuse' || b?.username !== username || b?.password !== password)
      sendError(res, 401, 'invalid username or password');
    else {
      const token = `tok${String(++issued).padStart(5, '0')}`;
      tokens.add(token);
      sendJson(res, 200, { token, timeout_s: 3600 });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = await readBody(req);
    const auth = req.headers.authorization ?? null;
    const request: BraiinsRequest = { method: req.method ?? '', path, authorization: auth, body };
    requests.push(request);
    options.onRequest?.(request);
    const route = PATHS[`${req.method} ${path}`];
    if (route === undefined) sendError(res, 404, `no route ${req.method} ${path}`);
    else if (route === 'login') login(body, res);
    else if (auth === null || !tokens.has(auth)) sendError(res, 401, 'unauthenticated');
    else {
      if (req.method === 'PUT') {
        writes += 1;
        maxWrites = Math.max(maxWrites, writes);
        res.on('close', () => {
          writes -= 1;
        });
      }
      answer(route, body, res);
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    powerTargetW: () => targetW,
    fault: (route, fault) => void (fault === null ? faults.delete(route) : faults.set(route, fault)),
    expireTokens: () => tokens.clear(),
    maxWritesInFlight: () => maxWrites,
    releaseHung: () => {
      for (const res of hung) if (!res.writableEnded) sendError(res, 503, 'released');
      hung.clear();
      for (const [route, fault] of faults) if (fault === 'hang') faults.delete(route);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
