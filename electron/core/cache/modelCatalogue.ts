/**
 * Kiro's model list (ListAvailableModels), asked with any account and kept for five minutes: /v1/models is
 * polled by clients, the list changes rarely. Without an account, or when Kiro fails, the built-in list answers.
 */
import type { AccountService } from '../accounts/accountService.ts';
import type { KiroClient } from '../kiro/kiroClient.ts';
import { KNOWN_KIRO_MODELS } from '../translate/modelMapping.ts';

export interface ModelCatalogue {
  /** Kiro model ids (`claude-sonnet-4.5`), from Kiro when it answered recently, else the built-in list. */
  modelIds(): Promise<readonly string[]>;
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
  let cached: { ids: readonly string[]; expiresAt: number } | undefined;
  let loading: Promise<readonly string[]> | undefined;

  async function load(): Promise<readonly string[]> {
    try {
      const ids = await fetchModelIds(options);
      cached = { ids, expiresAt: options.now() + ttlMs };
      return ids;
    } catch {
      cached = { ids: KNOWN_KIRO_MODELS, expiresAt: options.now() + failureTtlMs };
      return KNOWN_KIRO_MODELS;
    } finally {
      loading = undefined;
    }
  }

  return {
    modelIds() {
      if (options.accounts.accountCount() === 0) return Promise.resolve(KNOWN_KIRO_MODELS);
      if (cached !== undefined && cached.expiresAt > options.now()) return Promise.resolve(cached.ids);
      loading ??= load();
      return loading;
    },
  };
}

async function fetchModelIds(options: ModelCatalogueOptions): Promise<readonly string[]> {
  const lease = await options.accounts.lease({
    exclude: new Set(),
    signal: AbortSignal.timeout(options.leaseTimeoutMs ?? 2_000),
  });
  try {
    const models = await options.client.listAvailableModels(lease.credential);
    if (models.length === 0) throw new Error('Kiro listed no models');
    return models.map((model) => model.modelId);
  } finally {
    lease.release();
  }
}
