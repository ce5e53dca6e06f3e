/**
 * `/admin/keys` (list, create, revoke the team's client keys) and `/admin/usage` (the ledger, summarized per key,
 * model or account over time). The created key is in the one answer to its creation and nowhere else.
 */
import type express from 'express';
import { z } from 'zod';
import type {
  ClientKeyView,
  CreatedClientKeyResponse,
  ListClientKeysResponse,
  UsageSummary,
} from '../../../../shared/teamApi.ts';
import { USAGE_BUCKETS, USAGE_DIMENSIONS } from '../../../../shared/teamApi.ts';
import { periodWindow } from '../../keys/budgetPeriod.ts';
import type { ClientKeyRecord } from '../../keys/clientKeyRecord.ts';
import { ClientKeyInputError } from '../../keys/clientKeyRegistry.ts';
import type { TeamAccess } from '../../keys/teamAccess.ts';
import type { Clock, Logger } from '../../ports.ts';
import { SharedStateUnavailableError } from '../../redis/redisTeamState.ts';
import { validateBody } from '../validateBody.ts';
import { AdminError } from './adminError.ts';
import { errorMessage } from '../../../../shared/errorMessage.ts';

const createKeyBody = z.strictObject({
  label: z.string().trim().min(1).max(100),
  creditLimit: z.number().positive().finite().optional(),
  period: z.enum(['day', 'month']).optional(),
  models: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  requestsPerMinute: z.number().int().positive().max(1_000_000).optional(),
});

const DAY_MS = 86_400_000;

const usageQuery = z.strictObject({
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().positive().optional(),
  by: z.enum(USAGE_DIMENSIONS as [string, ...string[]]).default('key'),
  bucket: z.enum(USAGE_BUCKETS as [string, ...string[]]).default('hour'),
});

export function mountTeamRoutes(
  router: express.Router,
  team: TeamAccess,
  options: { clock: Clock; logger: Logger },
): void {
  const { clock, logger } = options;
  const viewOf = async (record: ClientKeyRecord): Promise<ClientKeyView> => {
    const { digest: _digest, ...shown } = record;
    const period = record.period ?? 'month';
    const now = clock.now();
    return {
      ...shown,
      spent: round(await team.spending.spent(record.id, period, now)),
      resetsAt: periodWindow(period, now).resetsAt,
    };
  };
  router.get('/keys', async (_req, res) => {
    const keys = await unlessUnreachable(() => Promise.all(team.keys.list().map(viewOf)));
    const body: ListClientKeysResponse = { keys };
    res.json(body);
  });
  router.post('/keys', async (req, res) => {
    const request = validateBody(createKeyBody, req.body);
    let created;
    try {
      created = await unlessUnreachable(() => team.keys.create(request));
    } catch (error) {
      if (error instanceof ClientKeyInputError) throw new AdminError(400, error.message);
      throw error;
    }
    logger.info({ keyId: created.record.id, label: created.record.label }, 'client key created');
    const body: CreatedClientKeyResponse = {
      id: created.record.id,
      key: created.key,
      label: created.record.label,
    };
    res.setHeader('cache-control', 'no-store');
    res.status(201).json(body);
  });
  router.delete('/keys/:id', async (req, res) => {
    const id = req.params['id'];
    if (!(await unlessUnreachable(() => team.keys.revoke(id))))
      throw new AdminError(404, `No client key ${id}; GET /admin/keys lists them.`);
    logger.info({ keyId: id }, 'client key revoked');
    res.status(204).end();
  });
  router.get('/usage', (req, res) => {
    const parsed = validateBody(usageQuery, req.query);
    // Inclusive of now: a request that just finished counts.
    const until = parsed.until ?? clock.now() + 1;
    const since = parsed.since ?? until - DAY_MS;
    if (since >= until)
      throw new AdminError(400, '`since` must be before `until` (both epoch milliseconds).');
    const query = { since, until, by: parsed.by, bucket: parsed.bucket } as UsageSummary['query'];
    const body: UsageSummary = team.ledger
      ? { ...team.ledger.summarize(query), ledger: true }
      : { query, totals: [], points: [], ledger: false };
    res.json(body);
  });
}

/** With replicas on Redis, a key change or a spending read needs Redis: while it is away, a 503 that says so. */
async function unlessUnreachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ClientKeyInputError || error instanceof AdminError) throw error;
    if (error instanceof SharedStateUnavailableError || isRedisConnectionError(error))
      throw new AdminError(503, `The replicas' shared state is unreachable: ${errorMessage(error)}`);
    throw error;
  }
}

function isRedisConnectionError(error: unknown): boolean {
  return (
    error instanceof Error && /Stream isn't writeable|Connection is closed|ECONNREFUSED/.test(error.message)
  );
}

function round(credits: number): number {
  return Math.round(credits * 10_000) / 10_000;
}
