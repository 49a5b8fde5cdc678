// `rigtune doctor`'s HTTP check: can the API bind its address (port free, host local, privileges)?
// It binds and at once closes, so it runs while nothing else of rigtune is up.

import { createServer } from 'node:net';
import { type CheckResult, errnoOf, messageOf } from './types.ts';

/** `host:port`, with [brackets] for IPv6. */
function addressText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function explain(code: string | undefined, host: string, port: number, err: unknown): string {
  const at = addressText(host, port);
  if (code === 'EADDRINUSE')
    return `${at} is already in use (a running rigtune or another program): stop it, or set http.port (or --port)`;
  if (code === 'EACCES' || code === 'EPERM')
    return `binding ${at} needs privileges (ports below 1024): use a port of 1024 or more`;
  if (code === 'EADDRNOTAVAIL')
    return `${host} is not an address of this machine: set http.host to 127.0.0.1 or a local interface`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `http.host '${host}' does not resolve: check it`;
  return `${at} cannot be bound: ${messageOf(err)}`;
}

/** Binds `host:port` once and closes it; never throws. */
export async function checkHttpBind(host: string, port: number): Promise<CheckResult> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => resolve());
    });
    const address = server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
    return {
      check: 'http',
      status: 'ok',
      message:
        port === 0
          ? `${host} accepts a listener on any free port (http.port 0)`
          : `${addressText(host, port)} is free for the API` +
            (loopback ? '' : ' (not loopback: other machines can reach the API)'),
      details: { host, port, bound_port: bound },
    };
  } catch (err) {
    return {
      check: 'http',
      status: 'fail',
      message: explain(errnoOf(err), host, port, err),
      details: { host, port, error: errnoOf(err) ?? messageOf(err) },
    };
  } finally {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  }
}
