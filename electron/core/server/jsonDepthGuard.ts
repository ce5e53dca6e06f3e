/**
 * A bound on how deeply a parsed request body nests. JSON.parse takes any depth, but much that reads a body
 * afterwards recurses (JSON.stringify, schema cleanup, token counting, fingerprints), and a body nested a few
 * thousand levels would overflow the stack there. Checked once at the edge, without recursion, so nothing
 * behind it needs to worry.
 */
import type { NextFunction, Request, Response } from 'express';
import { RequestError } from '../translate/requestError.ts';

/** Far beyond any real request (Claude Code's deepest tool schemas nest about a dozen levels). */
export const MAX_BODY_DEPTH = 128;

interface Pending {
  value: unknown;
  depth: number;
  /** Where the value sits, for the message; built from the parent's only when needed. */
  key: string;
  parent?: Pending;
}

/** The path (`messages.0.content`) of the first value nested deeper than `maxDepth`; undefined when none is. */
export function tooDeepAt(body: unknown, maxDepth: number): string | undefined {
  const stack: Pending[] = [{ value: body, depth: 1, key: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > maxDepth) return pathOf(item);
    for (const [key, child] of Object.entries(item.value)) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: item.depth + 1, key, parent: item });
      }
    }
  }
  return undefined;
}

function pathOf(item: Pending): string {
  const keys: string[] = [];
  for (let at: Pending | undefined = item; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  const path = keys.reverse();
  // A path thousands of keys long says no more than its start.
  return path.length > 12 ? `${path.slice(0, 12).join('.')}…` : path.join('.') || 'body';
}

/** After the JSON parser: a body nested too deeply is a 400 saying where. */
export function rejectDeepJson(maxDepth = MAX_BODY_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const where = tooDeepAt(req.body, maxDepth);
    if (where === undefined) {
      next();
      return;
    }
    next(
      new RequestError(
        `The request body nests more than ${maxDepth} levels deep (at ${where}); send a flatter body.`,
      ),
    );
  };
}
