/**
 * The admin API controls accounts, so it answers only its own loopback origin and its own token:
 * - DNS rebinding: a page on evil.example whose name now resolves to this machine reaches this port with
 *   `Host: evil.example:PORT`. On every connection, loopback or not, the Host must name this server: the
 *   address the connection arrived on, the loopback names (on loopback connections), or the name it was told
 *   to listen on. An address cannot be rebound, so naming one is safe.
 * - Cross-site requests: a browser names the page's origin (`Origin`, `Sec-Fetch-Site`); anything but this
 *   server's own origin is refused. Requests without those headers (curl, the tray) are not from a web page.
 * - The admin token as `Authorization: Bearer`, compared in constant time. The client key is not accepted.
 * No CORS header is ever sent, so browsers keep other origins' scripts from reading any answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface AdminRequestFacts {
  host?: string;
  origin?: string;
  secFetchSite?: string;
  /** The local end of the connection: the address and port the request arrived on. */
  localAddress?: string;
  localPort?: number;
  /** The host the server was told to listen on (`--host`, the listenHost setting), when it is a name. */
  configuredHosts?: readonly (string | undefined)[];
}

/** Listening on every interface names no host a client could send. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Why the request must be refused (403), or undefined when it may go on to authentication. Pure. */
export function adminRequestProblem(facts: AdminRequestFacts): string | undefined {
  const host = facts.host?.toLowerCase();
  if (!host) return 'The request has no Host header.';
  const accepted = acceptedHosts(facts);
  if (!accepted.includes(host)) {
    return `The admin API answers only to ${accepted.join(', ')}, not to ${host}; open it under one of those.`;
  }
  if (facts.origin !== undefined && facts.origin.toLowerCase() !== `http://${host}`) {
    return `Cross-origin requests to the admin API are refused (Origin ${facts.origin}).`;
  }
  if (facts.secFetchSite !== undefined && !['same-origin', 'none'].includes(facts.secFetchSite)) {
    return `Cross-site requests to the admin API are refused (Sec-Fetch-Site ${facts.secFetchSite}).`;
  }
  return undefined;
}

/** Host header values that name this server for this connection; a browser leaves out the default port 80. */
function acceptedHosts(facts: AdminRequestFacts): string[] {
  const names = new Set<string>();
  if (isLoopbackAddress(facts.localAddress)) for (const name of LOOPBACK_NAMES) names.add(name);
  if (facts.localAddress) names.add(addressAsHost(facts.localAddress));
  for (const configured of facts.configuredHosts ?? []) {
    const name = configured?.trim().toLowerCase();
    if (name !== undefined && !WILDCARD_HOSTS.has(name)) names.add(addressAsHost(name));
  }
  const port = facts.localPort;
  return [...names].flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
}

/** `192.168.1.10`, `[fe80::1]`: how a Host header writes an address (IPv4-mapped ones as IPv4). */
function addressAsHost(address: string): string {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.includes(':') && !v4.startsWith('[') ? `[${v4}]` : v4;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** `configuredHosts`: where the server was told to listen, read per request (it can be rebound). */
export function adminOriginGuard(configuredHosts: () => readonly (string | undefined)[] = () => []) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem = adminRequestProblem({
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: headerValue(req.headers['sec-fetch-site']),
      localAddress: req.socket.localAddress,
      localPort: req.socket.localPort,
      configuredHosts: configuredHosts(),
    });
    if (!problem) {
      next();
      return;
    }
    // Nothing more will be accepted from a refused client: it need not keep the connection.
    res.setHeader('connection', 'close');
    res.status(403).json({ error: { message: problem } });
  };
}

/** Whether a presented Bearer token opens the admin API (the run's admin token, a dashboard session…). */
export type AdminTokenVerifier = (presented: string) => boolean;

/** The run's admin token, compared in constant time. */
export function matchesAdminToken(adminToken: string): AdminTokenVerifier {
  const expected = digest(adminToken);
  return (presented) => timingSafeEqual(digest(presented), expected);
}

/** Bearer token only: a token in `x-api-key` would be the client key's place, and that key is not enough here. */
export function adminTokenAuth(verify: AdminTokenVerifier) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (presented !== undefined && verify(presented)) {
      next();
      return;
    }
    const message =
      presented === undefined
        ? 'Missing admin token: send it as Authorization: Bearer <token>.'
        : 'Invalid admin token. `kiro-dock serve` prints the token of its run, or set KIRO_DOCK_ADMIN_TOKEN.';
    res.setHeader('www-authenticate', 'Bearer');
    // A refused request's body is not read: closing ends a slow one at once.
    res.setHeader('connection', 'close');
    res.status(401).json({ error: { message } });
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Digests have equal lengths, so timingSafeEqual neither throws nor leaks the token's length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
