import type { Request, Response } from 'express';
import type { HealthResponse } from '../../../../shared/adminApi.ts';
import { healthReport } from '../../stats/healthReport.ts';
import type { RequestStats } from '../../stats/requestStats.ts';
import type { CatalogueModel } from '../../cache/modelCatalogue.ts';
import { RequestError } from '../../translate/requestError.ts';
import { dialectOfPath, sendClientError } from '../apiDialect.ts';
import { BUILT_IN_MODEL_LIMITS, KNOWN_KIRO_MODELS, resolveModel } from '../../translate/modelMapping.ts';
import type { RouteContext } from './routeContext.ts';

/** The Anthropic-style ids clients use for Kiro's Claude models (`claude-sonnet-4.5` → `claude-sonnet-4-5`). */
export function publicModelId(kiroModelId: string): string {
  return kiroModelId.startsWith('claude-') ? kiroModelId.replace(/\.(\d+)$/, '-$1') : kiroModelId;
}

const CREATED_SECONDS = Math.floor(Date.parse('2025-01-01T00:00:00Z') / 1000);

/** Both APIs' fields for one model, plus its limits (`context_window` for OpenAI-style clients). */
function describeModel(id: string, model: CatalogueModel | undefined, contextWindow: number) {
  return {
    id,
    object: 'model',
    type: 'model',
    display_name: model?.displayName ?? id,
    created: CREATED_SECONDS,
    created_at: new Date(CREATED_SECONDS * 1000).toISOString(),
    owned_by: 'kiro',
    context_window: contextWindow,
    max_input_tokens: contextWindow,
    ...(model?.maxOutputTokens !== undefined && { max_tokens: model.maxOutputTokens }),
  };
}

const catalogueOf = (context: Pick<RouteContext, 'models'>) =>
  context.models?.models() ?? Promise.resolve(undefined);

/**
 * One list shape read by both SDKs: OpenAI reads `object`/`created`/`owned_by`, Anthropic reads
 * `type`/`display_name`/`created_at` and the paging fields; each entry says its input limit.
 */
export function modelsRoute(context: Pick<RouteContext, 'models'>) {
  return async (_req: Request, res: Response): Promise<void> => {
    const models = (await catalogueOf(context)) ?? builtInModels();
    const data = models.map((model) =>
      describeModel(publicModelId(model.modelId), model, model.maxInputTokens),
    );
    res.json({
      object: 'list',
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  };
}

/**
 * `GET /v1/models/{id}`: the model a request naming this id would use (public, Kiro or `[1m]` ids, aliases),
 * in the caller's API shape: Anthropic's when it sent `anthropic-version`, else OpenAI's.
 */
export function modelRoute(context: Pick<RouteContext, 'models' | 'settings'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const asked = String(req.params['id'] ?? '');
    const dialect = dialectOfPath(req.path, req.headers['anthropic-version']);
    const models = (await catalogueOf(context)) ?? builtInModels();
    const limits = new Map(models.map((model) => [model.modelId, model.maxInputTokens]));
    let resolved;
    try {
      resolved = resolveModel(asked, context.settings.modelAliases, limits);
    } catch {
      const message = `model "${asked}" is not available on Kiro; GET /v1/models lists the models there are`;
      sendClientError(res, dialect, new RequestError(message, 'not_found_error', 404));
      return;
    }
    const model = models.find((entry) => entry.modelId === resolved.modelId);
    const full = describeModel(asked, model, resolved.contextWindow);
    res.json(dialect === 'anthropic' ? anthropicShape(full) : openaiShape(full));
  };
}

function anthropicShape(model: ReturnType<typeof describeModel>) {
  const { object: _object, created: _created, owned_by: _owner, context_window: _window, ...rest } = model;
  return rest;
}

function openaiShape(model: ReturnType<typeof describeModel>) {
  const { type: _type, display_name: _name, created_at: _at, ...rest } = model;
  return rest;
}

function builtInModels(): CatalogueModel[] {
  return KNOWN_KIRO_MODELS.map((modelId) => ({
    modelId,
    maxInputTokens: BUILT_IN_MODEL_LIMITS.get(modelId) ?? 200_000,
  }));
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
