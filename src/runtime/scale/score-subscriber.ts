// The collector's subscription to the scores the workers publish (`telemetry:score:<rig>`): its own
// node-redis connection (a subscribed connection runs no other command), one server or a cluster.

import { createClient, createCluster } from 'redis';
import { toRedisUrl } from './valkey-client.ts';

export interface ScoreSubscriberOptions {
  /** Valkey URLs; several (or `cluster`) = seed nodes of a Valkey Cluster (PUBLISH reaches every node). */
  readonly urls: readonly string[];
  readonly cluster?: boolean;
  /** Channels to hear (`telemetry:score:<rig>` of each tuned rig). */
  readonly channels: readonly string[];
  /** Every message, in the order the server sends them. */
  readonly onMessage: (channel: string, message: string) => void;
  /** Connection errors; the client reconnects (and resubscribes) by itself. */
  readonly onError?: (err: Error) => void;
  /** Cap of the reconnect backoff, ms; default 5000. */
  readonly reconnectMaxMs?: number;
}

export interface ScoreSubscriber {
  /** Resolves once the subscription is in place (the server answered SUBSCRIBE). */
  readonly ready: Promise<void>;
  /** Unsubscribes and closes the connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Subscribes to `channels` (nothing to do when there are none). Messages missed while disconnected are
 * not replayed by pub/sub: the caller catches up from `telemetry:last:<rig>` (score-join's fallback).
 */
export function subscribeScores(o: ScoreSubscriberOptions): ScoreSubscriber {
  if (o.channels.length === 0) return { ready: Promise.resolve(), close: async () => undefined };
  const reconnectMaxMs = o.reconnectMaxMs ?? 5000;
  const socket = {
    connectTimeout: 2000,
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 16), reconnectMaxMs),
  };
  const urls = o.urls.map(toRedisUrl);
  const client =
    (o.cluster ?? urls.length > 1)
      ? createCluster({ rootNodes: urls.map((url) => ({ url })), defaults: { socket } })
      : createClient({ url: urls[0], socket });
  let closed = false;
  client.on('error', (err: Error) => {
    if (!closed) o.onError?.(err);
  });
  const listener = (message: string, channel: string) => {
    if (!closed) o.onMessage(channel, message);
  };
  const ready = (async () => {
    // The first connect of a single client retries by itself; a cluster's discovery needs a seed up.
    for (let retries = 0; !closed; retries++) {
      try {
        await client.connect();
        break;
      } catch (err) {
        if (closed) return;
        o.onError?.(err as Error);
        if (urls.length === 1 && !(o.cluster ?? false)) return;
        await new Promise((resolve) => setTimeout(resolve, socket.reconnectStrategy(retries)));
      }
    }
    if (!closed) await client.subscribe([...o.channels], listener);
  })();
  ready.catch(() => undefined);
  return {
    ready,
    close: async () => {
      if (closed) return;
      closed = true;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      });
      // A connect or discovery in flight, or a dead server, must not hold shutdown: bounded, then destroyed.
      await Promise.race([ready.catch(() => undefined), late]);
      if (client.isOpen) await Promise.race([client.close().catch(() => undefined), late]);
      clearTimeout(timer);
      if (client.isOpen) client.destroy();
    },
  };
}
