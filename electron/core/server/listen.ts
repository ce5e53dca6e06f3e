import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { systemClock, type Clock, type Timer } from '../ports.ts';

/** While draining, connections that went idle are closed this often. */
const IDLE_SWEEP_MS = 50;

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Stops accepting, lets in-flight answers finish for up to `drainMs`, then cuts what is left. */
  close(drainMs?: number): Promise<void>;
}

/** Binds the app; loopback unless the host says otherwise. */
export async function listen(
  app: express.Express,
  options: { host?: string; port?: number; clock?: Clock } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer({ noDelay: true, keepAliveTimeout: 65_000 }, app);
  // Streams can be silent for minutes while Kiro thinks; the upstream watchdogs handle real stalls.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const clock = options.clock ?? systemClock;
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
