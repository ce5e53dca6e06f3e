/**
 * Kiro's model list (ListAvailableModels), asked with any account and kept for five minutes: /v1/models is
 * polled by clients, the list changes rarely. Without an account, or when Kiro fails, the built-in list answers.
 */
import type { AccountService } from '../accounts/accountService.ts';
import type { KiroClient } from '../kiro/kiroClient.ts';
import type { KiroModelInfo } from '../kiro/kiroAnswers.ts';
import { KNOWN_KIRO_MODELS } from '../translate/modelMapping.ts';
import { builtInReasoningSupport, type ReasoningLookup } from '../translate/nativeReasoning.ts';

export interface ModelCatalogue {
  /** Kiro model ids (`claude-sonnet-4.5`), from Kiro when it answered recently, else the built-in list. */
  modelIds(): Promise<readonly string[]>;
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

export function createModelCatalogue(options: ModelCatalogueOptions): ModelCatalogue {
  const ttlMs = options.ttlMs ?? FIVE_MINUTES_MS;
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  let cached: { ids: readonly string[]; reasoning: ReasoningLookup; expiresAt: number } | undefined;
  let loading: Promise<void> | undefined;
  const builtIn = { ids: KNOWN_KIRO_MODELS, reasoning: builtInReasoningSupport };

  async function load(): Promise<void> {
    try {
      const models = await fetchModels(options);
      const ids = models.map((model) => model.modelId);
      cached = { ids, reasoning: reasoningLookupOf(models), expiresAt: options.now() + ttlMs };
    } catch {
      cached = { ...builtIn, expiresAt: options.now() + failureTtlMs };
    } finally {
      loading = undefined;
    }
  }

  async function current(): Promise<{ ids: readonly string[]; reasoning: ReasoningLookup }> {
    if (options.accounts.accountCount() === 0) return builtIn;
    if (cached === undefined || cached.expiresAt <= options.now()) {
      loading ??= load();
      await loading;
    }
    return cached ?? builtIn;
  }

  return {
    modelIds: async () => (await current()).ids,
    reasoningSupport: async () => (await current()).reasoning,
  };
}

function reasoningLookupOf(models: readonly KiroModelInfo[]): ReasoningLookup {
  const advertised = new Map(
    models.flatMap((model) => (model.reasoning ? [[model.modelId, model.reasoning]] : [])),
  );
  // A list without any schema (some hosts send none) says nothing about reasoning: the built-in rule stands.
  if (advertised.size === 0) return builtInReasoningSupport;
  return (modelId) => advertised.get(modelId);
}

async function fetchModels(options: ModelCatalogueOptions): Promise<KiroModelInfo[]> {
  const lease = await options.accounts.lease({
    exclude: new Set(),
    signal: AbortSignal.timeout(options.leaseTimeoutMs ?? 2_000),
  });
  try {
    const models = await options.client.listAvailableModels(lease.credential);
    if (models.length === 0) throw new Error('Kiro listed no models');
    return models;
  } finally {
    lease.release();
  }
}
