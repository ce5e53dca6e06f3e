/**
 * Kiro's model list (ListAvailableModels), asked with any account and kept for five minutes: /v1/models is
 * polled by clients, the list changes rarely, and every request's model mapping reads its input limits
 * (`tokenLimits`). Without an account, or when Kiro fails, the built-in list answers.
 */
import type { AccountService } from '../accounts/accountService.ts';
import type { KiroClient } from '../kiro/kiroClient.ts';
import { BUILT_IN_MODEL_LIMITS, KNOWN_KIRO_MODELS, type ModelLimits } from '../translate/modelMapping.ts';
import {
  builtInReasoningSupport,
  type ReasoningLookup,
  type ReasoningSupport,
} from '../translate/nativeReasoning.ts';

export interface CatalogueModel {
  /** Kiro's id (`claude-sonnet-4.5`). */
  modelId: string;
  displayName?: string;
  maxInputTokens: number;
  maxOutputTokens?: number;
  /** Present when Kiro's entry advertises native reasoning fields (docs/native-reasoning.md). */
  reasoning?: ReasoningSupport;
}

export interface ModelCatalogue {
  /** Kiro model ids, from Kiro when it answered recently, else the built-in list. */
  modelIds(): Promise<readonly string[]>;
  models(): Promise<readonly CatalogueModel[]>;
  /** Input limits by Kiro model id, for the model mapping and the payload guard. */
  limits(): Promise<ModelLimits>;
  /**
   * Which models take native reasoning fields: what Kiro's list advertised when it advertised any, else the
   * built-in rule (docs/native-reasoning.md).
   */
  reasoningSupport(): Promise<ReasoningLookup>;
}

export interface ModelCatalogueOptions {
  client: Pick<KiroClient, 'listAvailableModels'>;
  accounts: Pick<AccountService, 'lease' | 'accountCount'>;
  now: () => number;
  ttlMs?: number;
  /** How long a failed call keeps the built-in list in place before Kiro is asked again. */
  failureTtlMs?: number;
  /** Longest wait for an account that is busy. */
  leaseTimeoutMs?: number;
}

const FIVE_MINUTES_MS = 5 * 60_000;

const BUILT_IN_MODELS: readonly CatalogueModel[] = KNOWN_KIRO_MODELS.map((modelId) => ({
  modelId,
  maxInputTokens: BUILT_IN_MODEL_LIMITS.get(modelId) ?? 200_000,
}));

interface Loaded {
  models: readonly CatalogueModel[];
  limits: ModelLimits;
  reasoning: ReasoningLookup;
  expiresAt: number;
}

export function createModelCatalogue(options: ModelCatalogueOptions): ModelCatalogue {
  const ttlMs = options.ttlMs ?? FIVE_MINUTES_MS;
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  const builtIn = {
    models: BUILT_IN_MODELS,
    limits: BUILT_IN_MODEL_LIMITS,
    reasoning: builtInReasoningSupport,
  };
  let cached: Loaded | undefined;
  let loading: Promise<Omit<Loaded, 'expiresAt'>> | undefined;

  async function load(): Promise<Omit<Loaded, 'expiresAt'>> {
    try {
      const models = await fetchModels(options);
      cached = {
        models,
        limits: limitsOf(models),
        reasoning: reasoningLookupOf(models),
        expiresAt: options.now() + ttlMs,
      };
      return cached;
    } catch {
      cached = { ...builtIn, expiresAt: options.now() + failureTtlMs };
      return builtIn;
    } finally {
      loading = undefined;
    }
  }

  function current(): Promise<Omit<Loaded, 'expiresAt'>> {
    if (options.accounts.accountCount() === 0) return Promise.resolve(builtIn);
    if (cached !== undefined && cached.expiresAt > options.now()) return Promise.resolve(cached);
    loading ??= load();
    return loading;
  }

  return {
    modelIds: async () => (await current()).models.map((model) => model.modelId),
    models: async () => (await current()).models,
    // Every request reads the limits: an expired list keeps answering while Kiro is asked again.
    limits: async () => {
      if (cached !== undefined && cached.expiresAt <= options.now() && options.accounts.accountCount() > 0) {
        loading ??= load();
        return cached.limits;
      }
      return (await current()).limits;
    },
    reasoningSupport: async () => (await current()).reasoning,
  };
}

function reasoningLookupOf(models: readonly CatalogueModel[]): ReasoningLookup {
  const advertised = new Map(
    models.flatMap((model) => (model.reasoning ? [[model.modelId, model.reasoning]] : [])),
  );
  // A list without any schema (some hosts send none) says nothing about reasoning: the built-in rule stands.
  if (advertised.size === 0) return builtInReasoningSupport;
  return (modelId) => advertised.get(modelId);
}

/** Models Kiro lists without a limit keep the built-in one (or 200 000). */
function limitsOf(models: readonly CatalogueModel[]): ModelLimits {
  return new Map([
    ...BUILT_IN_MODEL_LIMITS,
    ...models.map((model) => [model.modelId, model.maxInputTokens] as const),
  ]);
}

async function fetchModels(options: ModelCatalogueOptions): Promise<readonly CatalogueModel[]> {
  const lease = await options.accounts.lease({
    exclude: new Set(),
    signal: AbortSignal.timeout(options.leaseTimeoutMs ?? 2_000),
  });
  try {
    const listed = await options.client.listAvailableModels(lease.credential);
    if (listed.length === 0) throw new Error('Kiro listed no models');
    return listed.map((model) => ({
      modelId: model.modelId,
      ...(model.modelName !== undefined && { displayName: model.modelName }),
      maxInputTokens: model.maxInputTokens ?? BUILT_IN_MODEL_LIMITS.get(model.modelId) ?? 200_000,
      ...(model.maxOutputTokens !== undefined && { maxOutputTokens: model.maxOutputTokens }),
      ...(model.reasoning !== undefined && { reasoning: model.reasoning }),
    }));
  } finally {
    lease.release();
  }
}
