/**
 * The admin API controls accounts, so it answers only its own loopback origin and its own token:
 * - DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches this port with
 *   `Host: evil.example:PORT`; on a loopback connection only the loopback names are accepted.
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
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Why the request must be refused (403), or undefined when it may go on to authentication. Pure. */
export function adminRequestProblem(facts: AdminRequestFacts): string | undefined {
  const host = facts.host?.toLowerCase();
  if (!host) return 'The request has no Host header.';
  if (isLoopbackAddress(facts.localAddress) && !loopbackHosts(facts.localPort).includes(host)) {
    return `The admin API answers only to ${loopbackHosts(facts.localPort).join(', ')}, not to ${host}.`;
  }
  if (facts.origin !== undefined && facts.origin.toLowerCase() !== `http://${host}`) {
    return `Cross-origin requests to the admin API are refused (Origin ${facts.origin}).`;
  }
  if (facts.secFetchSite !== undefined && !['same-origin', 'none'].includes(facts.secFetchSite)) {
    return `Cross-site requests to the admin API are refused (Sec-Fetch-Site ${facts.secFetchSite}).`;
  }
  return undefined;
}

/** Host header values that name this server on loopback; a browser leaves out the default port 80. */
function loopbackHosts(port: number | undefined): string[] {
  return LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

export function adminOriginGuard() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem = adminRequestProblem({
      host: req.headers.host,
      origin: req.headers.origin,
      secFetchSite: headerValue(req.headers['sec-fetch-site']),
      localAddress: req.socket.localAddress,
      localPort: req.socket.localPort,
    });
    if (problem) res.status(403).json({ error: { message: problem } });
    else next();
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
