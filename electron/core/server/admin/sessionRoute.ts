/**
 * `POST /admin/session {code}` → a session token for the dashboard. No Bearer token is needed (that is what the
 * code stands for), but the admin origin guard still applies.
 *
 * Wrong attempts are answered ever more slowly (failurePenalty.ts) on the guesser's own connection, which is
 * then closed; a right code or the admin token is answered at once, whatever anyone sent before, so no local
 * program can lock the user out. What keeps codes and tokens safe is their size: a code is 256 random bits and
 * a generated admin token 192, far beyond any guessing. The hold-back keeps a guessing loop slow and its
 * traffic small, it is not the lock.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AdminErrorBody, SessionRequest, SessionResponse } from '../../../../shared/adminApi.ts';
import type { Clock } from '../../ports.ts';
import { rejectDeepJson } from '../jsonDepthGuard.ts';
import { validateBody } from '../validateBody.ts';
import type { DashboardLogin } from './dashboardLogin.ts';
import { createFailurePenalty } from './failurePenalty.ts';

/**
 * Wrong answers held back at once, at most: each holds a connection, and a guesser must not fill the proxy's
 * connections with them. Beyond it a wrong attempt is answered at once; it learns no more than by hanging up.
 */
const MAX_HELD_BACK = 16;

/** Per minute: three wrong attempts are free, then 250 ms, 500 ms, 1 s… up to 8 s for each. */
export const SIGN_IN_PENALTY = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  windowMs: 60_000,
} as const;

const sessionBody: z.ZodType<SessionRequest> = z.strictObject({
  code: z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
});

const WRONG_CODE =
  'This login code is not valid: it was used already, has expired (codes last 10 minutes) or is unknown. ' +
  'Open a new dashboard link, or sign in with the admin token `kiro-dock serve` printed.';

export function sessionRoute(login: DashboardLogin, clock: Clock): express.RequestHandler[] {
  const penalty = createFailurePenalty({ clock, ...SIGN_IN_PENALTY });
  let heldBack = 0;
  return [
    express.json({ limit: '4kb' }),
    rejectDeepJson(4),
    async (req: Request, res: Response) => {
      const { code } = validateBody(sessionBody, req.body);
      const token = login.exchange(code);
      if (token !== undefined) {
        const body: SessionResponse = { token };
        res.setHeader('cache-control', 'no-store');
        res.json(body);
        return;
      }
      const delayMs = penalty.recordFailure();
      heldBack += 1;
      const answered = await holdBack(heldBack > MAX_HELD_BACK ? 0 : delayMs, res, clock).finally(() => {
        heldBack -= 1;
      });
      if (!answered) return;
      res.setHeader('connection', 'close');
      const body: AdminErrorBody = { error: { message: WRONG_CODE } };
      res.status(401).json(body);
    },
  ];
}

/** Waits on the clock; false when the client left meanwhile (its timer is then released at once). */
async function holdBack(delayMs: number, res: Response, clock: Clock): Promise<boolean> {
  if (delayMs <= 0) return true;
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once('close', onClose);
  try {
    await clock.sleep(delayMs, gone.signal);
    return true;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}
