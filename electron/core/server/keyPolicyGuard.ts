/**
 * Applies the authenticated key's policy (models, rate, budget) to the API's POST routes, after the body is
 * parsed (the model is in it) and before any route runs, so a refused request costs no Kiro call. The refusal
 * is recorded like any other finished request.
 */
import type { NextFunction, Request, Response } from 'express';
import { checkKeyPolicy, type KeyPolicyDeps } from '../keys/keyPolicy.ts';
import { sendClientError, type ApiDialect } from './apiDialect.ts';
import { keyIdentityOf } from './clientKeyAuth.ts';
import type { RequestRecord } from './turn/requestRecord.ts';

export function keyPolicyGuard(
  deps: KeyPolicyDeps,
  dialectOf: (req: Request) => ApiDialect,
  recordRequest: (req: Request, record: RequestRecord) => void,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const identity = keyIdentityOf(res);
    if (req.method !== 'POST' || identity === undefined) {
      next();
      return;
    }
    const started = deps.clock.monotonicNow();
    const model: unknown = (req.body as { model?: unknown } | undefined)?.model;
    try {
      await checkKeyPolicy(deps, identity, model);
    } catch (error) {
      const { status } = sendClientError(res, dialectOf(req), error);
      recordRequest(req, { status, started, error, model: typeof model === 'string' ? model : undefined });
      return;
    }
    next();
  };
}
