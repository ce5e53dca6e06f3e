/** A request its client key may not make: a model outside its list, its rate limit, or its spent budget. */
export class KeyRefusal extends Error {
  override name = 'KeyRefusal';

  constructor(
    message: string,
    readonly status: 403 | 429,
    readonly type: 'permission_error' | 'rate_limit_error',
    readonly code: 'model_not_allowed' | 'key_rate_limited' | 'key_budget_exceeded',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
