/**
 * `POST /admin/session {code}` → a session token for the dashboard. No Bearer token is needed (that is what the
 * code stands for), but the admin origin guard still applies, and failed attempts are rate-limited so a code or
 * the admin token cannot be guessed through this door.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AdminErrorBody, SessionRequest, SessionResponse } from '../../../../shared/adminApi.ts';
import type { Clock } from '../../ports.ts';
import { validateBody } from '../validateBody.ts';
import type { DashboardLogin } from './dashboardLogin.ts';
import { createFailureLimiter } from './failureLimiter.ts';

export const MAX_FAILED_SIGN_INS_PER_MINUTE = 10;

const sessionBody: z.ZodType<SessionRequest> = z.strictObject({
  code: z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
});

export function sessionRoute(login: DashboardLogin, clock: Clock): express.RequestHandler[] {
  const limiter = createFailureLimiter({
    clock,
    maxFailures: MAX_FAILED_SIGN_INS_PER_MINUTE,
    windowMs: 60_000,
  });
  return [
    express.json({ limit: '4kb' }),
    (req: Request, res: Response) => {
      const blockedForMs = limiter.blockedForMs();
      if (blockedForMs > 0) {
        const seconds = Math.ceil(blockedForMs / 1000);
        res.setHeader('retry-after', String(seconds));
        sendError(res, 429, `Too many failed sign-in attempts; try again in ${seconds} s.`);
        return;
      }
      const { code } = validateBody(sessionBody, req.body);
      const token = login.exchange(code);
      if (token === undefined) {
        limiter.recordFailure();
        sendError(
          res,
          401,
          'This login code is not valid: it was used already, has expired (codes last 10 minutes) or is unknown. ' +
            'Open a new dashboard link, or sign in with the admin token `kiro-dock serve` printed.',
        );
        return;
      }
      const body: SessionResponse = { token };
      res.setHeader('cache-control', 'no-store');
      res.json(body);
    },
  ];
}

function sendError(res: Response, status: number, message: string): void {
  const body: AdminErrorBody = { error: { message } };
  res.status(status).json(body);
}
