import type { z } from 'zod';
import { RequestError } from '../translate/requestError.ts';

/** Parses a request body with a zod schema; failures become a 400 naming the first offending fields. */
export function validateBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError('The request body must be a JSON object (send content-type: application/json).');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${where}: ${issue.message}`;
  });
  throw new RequestError(`Invalid request: ${problems.join('; ')}`);
}
