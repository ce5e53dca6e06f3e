import { describe, expect, it } from 'vitest';
import type { AccountLease } from '../../electron/core/accounts/accountService.ts';
import { createModelCatalogue } from '../../electron/core/cache/modelCatalogue.ts';
import type { KiroModelInfo } from '../../electron/core/kiro/kiroClient.ts';
import { KNOWN_KIRO_MODELS, resolveModel } from '../../electron/core/translate/modelMapping.ts';

function setup(answers: Array<KiroModelInfo[] | Error>, accountCount = 1) {
  const clock = { now: 0 };
  const calls = { list: 0, released: 0 };
  const lease: AccountLease = {
    accountId: 'a1',
    credential: { accessToken: 't', machineId: 'm'.repeat(64) },
    release: () => void calls.released++,
  };
  const catalogue = createModelCatalogue({
    now: () => clock.now,
    accounts: { accountCount: () => accountCount, lease: () => Promise.resolve(lease) },
    client: {
      listAvailableModels: () => {
        const answer = answers[Math.min(calls.list++, answers.length - 1)]!;
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
  });
  return { catalogue, clock, calls };
}

describe('createModelCatalogue', () => {
  it('answers the limits of an expired list at once while it asks Kiro again', async () => {
    const { catalogue, clock, calls } = setup([
      [{ modelId: 'claude-sonnet-4.5', maxInputTokens: 200_000 }],
      [{ modelId: 'claude-sonnet-4.5', maxInputTokens: 1_000_000 }],
    ]);
    expect((await catalogue.limits()).get('claude-sonnet-4.5')).toBe(200_000);
    clock.now += 5 * 60_000;
    expect((await catalogue.limits()).get('claude-sonnet-4.5')).toBe(200_000);
    await expect.poll(() => calls.list).toBe(2);
    await expect.poll(async () => (await catalogue.limits()).get('claude-sonnet-4.5')).toBe(1_000_000);
  });

  it("takes each model's input limit from Kiro's tokenLimits, the built-in one when Kiro gives none", async () => {
    const { catalogue } = setup([
      [
        { modelId: 'claude-sonnet-4.5', maxInputTokens: 1_000_000, maxOutputTokens: 64_000 },
        { modelId: 'claude-opus-4.8' },
        { modelId: 'new-model', maxInputTokens: 300_000 },
      ],
    ]);
    const limits = await catalogue.limits();
    expect(limits.get('claude-sonnet-4.5')).toBe(1_000_000);
    expect(limits.get('claude-opus-4.8')).toBe(1_000_000);
    expect(limits.get('new-model')).toBe(300_000);
    expect((await catalogue.models())[0]).toEqual({
      modelId: 'claude-sonnet-4.5',
      maxInputTokens: 1_000_000,
      maxOutputTokens: 64_000,
    });
    // What the model mapping makes of it: [1m] stays on the named model once Kiro says it takes 1M.
    expect(resolveModel('claude-sonnet-4-5[1m]', undefined, limits)).toEqual({
      modelId: 'claude-sonnet-4.5',
      contextWindow: 1_000_000,
    });
  });

  it("keeps Kiro's list for five minutes, with one call for concurrent reads", async () => {
    const { catalogue, clock, calls } = setup([[{ modelId: 'new-model' }], [{ modelId: 'newer-model' }]]);
    const reads = await Promise.all([catalogue.modelIds(), catalogue.modelIds()]);
    expect(reads).toEqual([['new-model'], ['new-model']]);
    clock.now += 5 * 60_000 - 1;
    expect(await catalogue.modelIds()).toEqual(['new-model']);
    expect(calls).toEqual({ list: 1, released: 1 });
    clock.now += 1;
    expect(await catalogue.modelIds()).toEqual(['newer-model']);
    expect(calls.list).toBe(2);
  });

  it('answers with the built-in list when Kiro fails, and asks again after a short while', async () => {
    const { catalogue, clock, calls } = setup([new Error('down'), [{ modelId: 'back' }]]);
    expect(await catalogue.modelIds()).toEqual(KNOWN_KIRO_MODELS);
    expect(calls.released).toBe(1);
    clock.now += 30_000;
    expect(await catalogue.modelIds()).toEqual(['back']);
  });

  it('answers with the built-in list without accounts, without calling Kiro', async () => {
    const { catalogue, calls } = setup([[{ modelId: 'x' }]], 0);
    expect(await catalogue.modelIds()).toEqual(KNOWN_KIRO_MODELS);
    expect(calls.list).toBe(0);
  });

  it('tells which models take native reasoning from what Kiro advertised, else by the built-in rule', async () => {
    const efforts = ['low', 'high'];
    const { catalogue } = setup([
      [{ modelId: 'claude-opus-4.6', reasoning: { efforts } }, { modelId: 'claude-sonnet-4.6' }],
    ]);
    const advertised = await catalogue.reasoningSupport();
    expect(advertised('claude-opus-4.6')).toEqual({ efforts });
    // Listed without the schema while others have it: no native reasoning for it.
    expect(advertised('claude-sonnet-4.6')).toBeUndefined();
    const silent = setup([[{ modelId: 'claude-opus-4.6' }, { modelId: 'claude-sonnet-4.5' }]]).catalogue;
    const builtIn = await silent.reasoningSupport();
    expect(builtIn('claude-opus-4.6')?.efforts).toEqual(['low', 'medium', 'high', 'max']);
    expect(builtIn('claude-sonnet-4.5')).toBeUndefined();
  });
});
