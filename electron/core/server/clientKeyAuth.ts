import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ClientKeyProblem } from '../../../shared/adminApi.ts';
import { sendClientError, type ApiDialect } from './apiDialect.ts';
import { RequestError } from '../translate/requestError.ts';
import { DEFAULT_KEY_IDENTITY, type KeyIdentity } from '../keys/clientKeyRecord.ts';

export interface ClientKeyAuthHooks {
  /** A team key by what was presented (looked up by digest); undefined when it is none of them. */
  identify?: (presented: string) => KeyIdentity | undefined;
  /** Told of every refusal (never of the key itself), so refused requests can be counted and logged. */
  onRefused?: (problem: ClientKeyProblem, req: Request, res: Response, message: string) => void;
}

/**
 * Requires the client key as `x-api-key` (Claude Code, curl) or `Authorization: Bearer` (both SDKs). Keys are
 * compared as SHA-256 digests with timingSafeEqual: constant time, and no length leak. The key is read on every
 * request, so a regenerated key replaces the old one at once. A key that is not the default one is looked up among
 * the team's keys (`identify`, by digest), so a revoked key is refused from the next request on.
 */
export function clientKeyAuth(
  clientKey: () => string,
  dialectOf: (req: Request) => ApiDialect,
  { identify = () => undefined, onRefused }: ClientKeyAuthHooks = {},
) {
  // The expected digest is computed again only when the key changed.
  let expected = expectedKey(clientKey());
  return (req: Request, res: Response, next: NextFunction): void => {
    const current = clientKey();
    if (current !== expected.key) expected = expectedKey(current);
    const presented = presentedKey(req);
    if (presented !== undefined && timingSafeEqual(digest(presented), expected.digest)) {
      res.locals[CLIENT_LOCAL] = expected.client;
      res.locals[IDENTITY_LOCAL] = DEFAULT_KEY_IDENTITY;
      next();
      return;
    }
    const identity = presented === undefined ? undefined : identify(presented);
    if (identity !== undefined) {
      res.locals[CLIENT_LOCAL] = identity.id;
      res.locals[IDENTITY_LOCAL] = identity;
      next();
      return;
    }
    const message =
      presented === undefined
        ? 'Missing client key: send it as the x-api-key header or as Authorization: Bearer <key>.'
        : 'Invalid or revoked client key. The default key is printed by `kiro-dock serve` on first run, or set ' +
          'with KIRO_DOCK_API_KEY; team keys are listed by `kiro-dock keys list`.';
    onRefused?.(presented === undefined ? 'missing' : 'unknown', req, res, message);
    // The body of a refused request is never read: closing ends a slow one at once instead of waiting it out.
    res.setHeader('connection', 'close');
    sendClientError(res, dialectOf(req), new RequestError(message, 'authentication_error', 401));
  };
}

const CLIENT_LOCAL = 'clientKeyId';
const IDENTITY_LOCAL = 'clientKeyIdentity';

/** The client key's identity (label, limits) once authenticated; undefined before. */
export function keyIdentityOf(res: Response): KeyIdentity | undefined {
  return res.locals[IDENTITY_LOCAL] as KeyIdentity | undefined;
}

/**
 * Which client key the request was authenticated with, named by a prefix of its digest (never the key): the
 * response cache shares answers only among requests of one key. Empty before authentication.
 */
export function authenticatedClientOf(res: Response): string {
  const client: unknown = res.locals[CLIENT_LOCAL];
  return typeof client === 'string' ? client : '';
}

function expectedKey(key: string): { key: string; digest: Buffer; client: string } {
  const keyDigest = digest(key);
  return { key, digest: keyDigest, client: keyDigest.subarray(0, 8).toString('hex') };
}

function presentedKey(req: Request): string | undefined {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey;
  const authorization = req.headers.authorization;
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
