/**
 * Limits on the proxy's connections, so that slow or idle clients cannot hold it, on the injected clock:
 * - a new connection must deliver its first request's headers within `headersTimeoutMs` (a connection that
 *   sends nothing is closed too: Node's own headersTimeout starts only with the first byte);
 * - a request's body must have arrived within `bodyTimeoutMs` of its headers (408, then the connection closes);
 * - answers have no limit here: a streamed answer may be silent for minutes while Kiro thinks, and the upstream
 *   watchdogs (kiroClient's per-phase timeouts) handle real stalls;
 * - at `maxConnections` open connections, a newcomer takes the place of the connection idle the longest (silent,
 *   still sending its headers, or kept alive between requests), so idle ones can never lock clients out; when
 *   every connection has a request in flight, the newcomer's request is answered 503 in its client's API shape
 *   and its connection closed; beyond `maxConnections + overflowConnections` a new connection gets a bare 503
 *   at once, so no flood can use up the process's file descriptors.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Clock, Timer } from '../ports.ts';
import { clientErrorBody, dialectOfPath } from './apiDialect.ts';
import type { AnthropicErrorType } from './clientErrors.ts';

export interface ConnectionLimits {
  maxConnections: number;
  /** Connections accepted beyond maxConnections only to be answered 503 in their client's own shape. */
  overflowConnections: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** What a refused client is told to wait. */
  retryAfterSeconds: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 512,
  overflowConnections: 64,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 60_000,
  retryAfterSeconds: 5,
};

interface ConnectionState {
  socket: Socket;
  /** Armed until the first request's headers are in. */
  headersTimer?: Timer;
  overLimit: boolean;
  refused: boolean;
  /** Requests read and not answered yet. */
  inFlight: number;
  /** Still counted among the open connections (an evicted one stops counting before it has closed). */
  counted: boolean;
}

/** Follows the server's connections from now on; returns the app behind the limits. */
export function guardConnections(
  server: http.Server,
  limits: ConnectionLimits,
  clock: Clock,
): (app: http.RequestListener) => http.RequestListener {
  const states = new WeakMap<Socket, ConnectionState>();
  const table = createConnectionTable(limits);
  server.on('connection', (socket: Socket) => {
    const state = table.admit(socket);
    states.set(socket, state);
    if (state.refused) return refuseAtAccept(socket, limits);
    state.headersTimer = clock.setTimer(() => socket.destroy(), limits.headersTimeoutMs);
  });
  return (app) => (req, res) => {
    const state = states.get(req.socket)!;
    state.headersTimer?.cancel();
    state.headersTimer = undefined;
    if (state.refused) return; // its bare 503 is on the way and the socket closes after it
    if (state.overLimit) {
      sendLimitError(req, res, 503, tooManyConnections(limits), limits.retryAfterSeconds);
      return;
    }
    table.busyUntilAnswered(state, res);
    watchBody(req, res, limits.bodyTimeoutMs, clock);
    app(req, res);
  };
}

/** The open connections, and which of them are idle, idle the longest first: the ones given up for a newcomer. */
function createConnectionTable(limits: ConnectionLimits) {
  const idle = new Set<ConnectionState>();
  let open = 0;
  const forget = (state: ConnectionState) => {
    if (!state.counted) return;
    state.counted = false;
    open -= 1;
    idle.delete(state);
    state.headersTimer?.cancel();
  };
  return {
    admit(socket: Socket): ConnectionState {
      const oldestIdle = open >= limits.maxConnections ? idle.values().next().value : undefined;
      if (oldestIdle) {
        forget(oldestIdle);
        oldestIdle.socket.destroy();
      }
      open += 1;
      const overLimit = open > limits.maxConnections;
      const refused = open > limits.maxConnections + limits.overflowConnections;
      const state: ConnectionState = { socket, overLimit, refused, inFlight: 0, counted: true };
      socket.once('close', () => forget(state));
      // One accepted over the limit only waits for its 503: it is no place to give up for another.
      if (!overLimit) idle.add(state);
      return state;
    },
    busyUntilAnswered(state: ConnectionState, res: http.ServerResponse): void {
      idle.delete(state);
      state.inFlight += 1;
      res.once('close', () => {
        state.inFlight -= 1;
        if (state.inFlight === 0 && state.counted) idle.add(state); // added last: idle the shortest
      });
    },
  };
}

/** A body still arriving when the time is up gets a 408 (or, once an answer has begun, the connection cut). */
function watchBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  timeoutMs: number,
  clock: Clock,
): void {
  if (req.complete) return;
  const timer = clock.setTimer(() => {
    if (req.complete || res.writableEnded) return;
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const seconds = Math.round(timeoutMs / 1000);
    sendLimitError(
      req,
      res,
      408,
      `The request body did not arrive within ${seconds} s of its headers; send the whole body at once.`,
    );
  }, timeoutMs);
  req.once('end', () => timer.cancel());
  res.once('close', () => timer.cancel());
}

function tooManyConnections(limits: ConnectionLimits): string {
  return (
    `Kiro Dock has too many requests in flight (${limits.maxConnections} connections busy); try again in ` +
    `${limits.retryAfterSeconds} s. A client should reuse its connections (HTTP keep-alive) rather than open many.`
  );
}

/** The error in the shape the path's clients read, with the connection closed after it. */
function sendLimitError(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: 408 | 503,
  message: string,
  retryAfterSeconds?: number,
): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const type: AnthropicErrorType = status === 503 ? 'overloaded_error' : 'invalid_request_error';
  const body = path.startsWith('/admin')
    ? { error: { message } }
    : clientErrorBody(dialectOfPath(path, req.headers['anthropic-version']), { status, type, message });
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
    ...(retryAfterSeconds !== undefined && { 'retry-after': String(retryAfterSeconds) }),
  });
  res.end(text);
}

/** Written straight to the socket: no request has been read, so there is no route to take a shape from. */
function refuseAtAccept(socket: Socket, limits: ConnectionLimits): void {
  const text = JSON.stringify({
    type: 'error',
    error: { type: 'overloaded_error', message: tooManyConnections(limits) },
  });
  const head = [
    'HTTP/1.1 503 Service Unavailable',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `Retry-After: ${limits.retryAfterSeconds}`,
    'Connection: close',
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${text}`, () => socket.destroy());
}
