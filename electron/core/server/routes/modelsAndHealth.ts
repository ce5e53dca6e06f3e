import type { Request, Response } from 'express';
import type { HealthResponse } from '../../../../shared/adminApi.ts';
import { healthReport } from '../../stats/healthReport.ts';
import type { RequestStats } from '../../stats/requestStats.ts';
import type { ModelCatalogue } from '../../cache/modelCatalogue.ts';
import { KNOWN_KIRO_MODELS } from '../../translate/modelMapping.ts';
import type { RouteContext } from './routeContext.ts';

/** The Anthropic-style ids clients use for Kiro's Claude models (`claude-sonnet-4.5` → `claude-sonnet-4-5`). */
export function publicModelId(kiroModelId: string): string {
  return kiroModelId.startsWith('claude-') ? kiroModelId.replace(/\.(\d+)$/, '-$1') : kiroModelId;
}

/**
 * One list shape read by both SDKs: OpenAI reads `object`/`created`/`owned_by`, Anthropic reads
 * `type`/`display_name`/`created_at` and the paging fields.
 */
export function modelsRoute(catalogue?: ModelCatalogue) {
  const created = Math.floor(Date.parse('2025-01-01T00:00:00Z') / 1000);
  return async (_req: Request, res: Response): Promise<void> => {
    const kiroIds = catalogue === undefined ? KNOWN_KIRO_MODELS : await catalogue.modelIds();
    const data = kiroIds.map(publicModelId).map((id) => ({
      id,
      object: 'model',
      type: 'model',
      display_name: id,
      created,
      created_at: new Date(created * 1000).toISOString(),
      owned_by: 'kiro',
    }));
    res.json({
      object: 'list',
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  };
}

/** No token and nothing secret: a load balancer or the tray may poll it. */
export function healthRoute(
  context: RouteContext,
  stats?: Pick<RequestStats, 'upstreamStatus' | 'inFlight'>,
) {
  return (_req: Request, res: Response): void => {
    const body: HealthResponse = healthReport({
      version: context.version,
      startedAt: context.startedAt,
      now: context.turnDeps.clock.now(),
      accounts: context.turnDeps.accounts.pool.snapshot(),
      upstream: stats?.upstreamStatus() ?? { state: 'unknown' },
      inFlight: stats?.inFlight ?? 0,
    });
    res.json(body);
  };
}
