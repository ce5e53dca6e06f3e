/**
 * `/admin/sign-in`: sign in to Kiro from the dashboard or the tray. `POST` starts a flow and answers once the
 * code (Builder ID, IAM Identity Center) or the login page (Google, GitHub) is known; `GET /:id` follows it;
 * `POST /:id/complete` finishes a social sign-in with the pasted redirect address; `DELETE /:id` cancels.
 */
import type express from 'express';
import { z } from 'zod';
import type { CompleteSignInRequest, StartSignInRequest } from '../../../../shared/signInApi.ts';
import { SignInError } from '../../signin/signInError.ts';
import type { SignInSessions } from '../../signin/signInSessions.ts';
import { validateBody } from '../validateBody.ts';
import { AdminError } from './adminError.ts';

const startBody: z.ZodType<StartSignInRequest> = z.strictObject({
  method: z.enum(['builder-id', 'idc', 'social']).optional(),
  startUrl: z.string().trim().max(500).optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1')
    .optional(),
  provider: z.enum(['google', 'github']).optional(),
  accountId: z.string().max(40).optional(),
  label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
});

const completeBody: z.ZodType<CompleteSignInRequest> = z.strictObject({
  redirectedUrl: z.string().min(1, 'must not be empty').max(8000),
});

export function mountSignInRoutes(router: express.Router, sessions: SignInSessions): void {
  router.post('/sign-in', async (req, res) => {
    const request = validateBody(startBody, req.body);
    if (!request.method && !request.accountId)
      throw new AdminError(
        400,
        'Say how to sign in: method builder-id, idc or social (or the accountId to sign in again).',
      );
    res.status(201).json(await sessions.start(request).catch(asAdminError));
  });
  router.get('/sign-in/:id', (req, res) => {
    res.json(sessions.get(req.params['id']) ?? notFound(req.params['id']));
  });
  router.post('/sign-in/:id/complete', (req, res) => {
    const { redirectedUrl } = validateBody(completeBody, req.body);
    if (!sessions.get(req.params['id'])) notFound(req.params['id']);
    try {
      sessions.complete(req.params['id'], redirectedUrl);
    } catch (error) {
      asAdminError(error);
    }
    res.json(sessions.get(req.params['id']));
  });
  router.delete('/sign-in/:id', (req, res) => {
    res.json(sessions.cancel(req.params['id']) ?? notFound(req.params['id']));
  });
}

function notFound(id: string): never {
  throw new AdminError(404, `No sign-in ${id}: it ended long ago or never started; start a new one.`);
}

function asAdminError(error: unknown): never {
  if (error instanceof SignInError)
    throw new AdminError(error.failure === 'failed' ? 400 : 409, error.message);
  throw error;
}
