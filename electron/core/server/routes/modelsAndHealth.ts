import type { Request, Response } from 'express';
import { KNOWN_KIRO_MODELS } from '../../translate/modelMapping.ts';
import type { RouteContext } from './routeContext.ts';

/** The Anthropic-style ids clients use for Kiro's Claude models (`claude-sonnet-4.5` → `claude-sonnet-4-5`). */
function publicModelIds(): string[] {
  return KNOWN_KIRO_MODELS.map((id) => (id.startsWith('claude-') ? id.replace(/\.(\d+)$/, '-$1') : id));
}

/**
 * One list shape read by both SDKs: OpenAI reads `object`/`created`/`owned_by`, Anthropic reads
 * `type`/`display_name`/`created_at` and the paging fields.
 */
export function modelsRoute() {
  const created = Math.floor(Date.parse('2025-01-01T00:00:00Z') / 1000);
  return (_req: Request, res: Response): void => {
    const data = publicModelIds().map((id) => ({
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

export function healthRoute(context: RouteContext) {
  return (_req: Request, res: Response): void => {
    const accounts = context.turnDeps.accounts.pool.snapshot();
    const byState: Record<string, number> = {};
    for (const account of accounts) byState[account.state.kind] = (byState[account.state.kind] ?? 0) + 1;
    const active = byState['active'] ?? 0;
    res.json({
      status: active === 0 ? 'unavailable' : active < accounts.length ? 'degraded' : 'ok',
      version: context.version,
      uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
      accounts: { total: accounts.length, byState },
    });
  };
}
