import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SseReplayServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Serves recorded SSE bodies by path on 127.0.0.1, so an official SDK can parse a golden stream exactly as it
 * would parse Kiro Dock's; an unknown path is a 404.
 */
export async function startSseReplayServer(bodies: ReadonlyMap<string, string>): Promise<SseReplayServer> {
  const server = createServer((req, res) => {
    req.resume();
    const body = bodies.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
