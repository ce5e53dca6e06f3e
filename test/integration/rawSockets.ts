/**
 * Plain TCP connections to the proxy, for clients no HTTP library would be: silent ones, ones that send half a
 * request and stop, ones that dribble a byte at a time. Every connection records what it received and when the
 * server closed it.
 */
import net from 'node:net';

export interface RawConnection {
  socket: net.Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once the connection is closed, with the ms since it was opened; rejects after `withinMs`. */
  closed(withinMs: number): Promise<number>;
  /** Whether the connection is closed already. */
  isClosed(): boolean;
}

export function openRaw(baseUrl: string, firstBytes?: string): Promise<RawConnection> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const openedAt = performance.now();
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    let text = '';
    let closedAt: number | undefined;
    const whenClosed = new Promise<number>((done) => {
      socket.once('close', () => {
        closedAt = performance.now();
        done(closedAt - openedAt);
      });
    });
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    // A reset from a server that closes first is what some of these tests expect.
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (firstBytes !== undefined) socket.write(firstBytes);
      resolve({
        socket,
        received: () => text,
        isClosed: () => closedAt !== undefined,
        closed: (withinMs) =>
          Promise.race([
            whenClosed,
            new Promise<number>((_resolve, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`still open after ${withinMs} ms; received ${JSON.stringify(text)}`)),
                withinMs,
              );
              void whenClosed.then(() => clearTimeout(timer));
            }),
          ]),
      });
    });
    socket.once('error', reject);
  });
}

/** The head of an HTTP/1.1 request, ready to be followed by (part of) its body. */
export function requestHead(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | number>,
): string {
  const { host } = new URL(baseUrl);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The status code, headers (lower-case names) and body of the one response in `text`. */
export function parseRawResponse(text: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}
