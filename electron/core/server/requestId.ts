import type { NextFunction, Request, Response } from 'express';
import { randomId } from './randomId.ts';

/** A caller's own id is kept only when it is short and plain, so it cannot inject anything into logs. */
const ACCEPTABLE_ID = /^[\w.-]{1,128}$/;

/**
 * Gives every request an id, sent back as `request-id` (Anthropic's header) and `x-request-id`, and written on
 * its log line, so a user's report ("request req_… failed") finds the line.
 */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = req.headers['x-request-id'];
    const id = typeof offered === 'string' && ACCEPTABLE_ID.test(offered) ? offered : randomId('req_');
    res.locals['requestId'] = id;
    res.setHeader('request-id', id);
    res.setHeader('x-request-id', id);
    next();
  };
}
