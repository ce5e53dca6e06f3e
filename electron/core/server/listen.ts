import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { systemClock, type Clock, type Timer } from '../ports.ts';
import { DEFAULT_CONNECTION_LIMITS, guardConnections, type ConnectionLimits } from './connectionGuard.ts';

/** While draining, connections that went idle are closed this often. */
const IDLE_SWEEP_MS = 50;

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Stops accepting, lets in-flight answers finish for up to `drainMs`, then cuts what is left. */
  close(drainMs?: number): Promise<void>;
}

export interface ListenOptions {
  host?: string;
  port?: number;
  clock?: Clock;
  /** Connection cap and header / body timeouts (connectionGuard.ts); answers are never timed out here. */
  limits?: Partial<ConnectionLimits>;
}

/** Binds the app; loopback unless the host says otherwise. */
export async function listen(app: express.Express, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const server = http.createServer({ noDelay: true, keepAliveTimeout: 65_000 });
  server.on('request', guardConnections(server, limits, clock)(app));
  // The guard times out headers and bodies; Node's requestTimeout would count from the same start but cannot
  // answer in the client's shape. Its headersTimeout stays as a backstop for kept-alive connections.
  server.requestTimeout = 0;
  server.headersTimeout = limits.headersTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { server, url, close: (drainMs = 30_000) => drainAndClose(server, drainMs, clock) };
}

async function drainAndClose(server: http.Server, drainMs: number, clock: Clock): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections with no request in flight would hold close() open: release them as they go idle.
  let sweeper: Timer | undefined;
  const sweep = () => {
    server.closeIdleConnections();
    sweeper = clock.setTimer(sweep, IDLE_SWEEP_MS);
  };
  sweep();
  const deadline = clock.setTimer(() => server.closeAllConnections(), drainMs);
  try {
    await closed;
  } finally {
    sweeper?.cancel();
    deadline.cancel();
  }
}
