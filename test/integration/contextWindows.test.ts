/**
 * Context windows from Kiro's ListAvailableModels (`tokenLimits`), through both SDKs: `[1m]` served by a model
 * that takes a million input tokens or refused naming the real limit, the payload guard sized by the chosen
 * model, and GET /v1/models[/{id}] saying each model's window in the caller's API shape.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  proxy = await startProxyHarness();
  anthropic = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

const modelSent = () =>
  (
    proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse').at(-1)
      ?.body as {
      conversationState: { currentMessage: { userInputMessage: { modelId: string } } };
    }
  ).conversationState.currentMessage.userInputMessage.modelId;

function ask(model: string, content = 'hi [[reply:ok]]') {
  return anthropic.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content }] });
}

describe('[1m] models', () => {
  it('serves [1m] with the same model when Kiro lists it with 1M input tokens', async () => {
    await ask('claude-sonnet-4-6[1m]');
    expect(modelSent()).toBe('claude-sonnet-4.6');
    await ask('claude-opus-4-7[1m]');
    expect(modelSent()).toBe('claude-opus-4.7');
  });

  it('serves [1m] of a 200k model with the newest 1M model of its family', async () => {
    await ask('claude-sonnet-4-5[1m]');
    expect(modelSent()).toBe('claude-sonnet-4.6');
  });

  it('takes the context-1m beta header (how Claude Code sends [1m]) as the [1m] suffix', async () => {
    await anthropic.beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      betas: ['context-1m-2025-08-07'],
      messages: [{ role: 'user', content: 'hi [[reply:ok]]' }],
    });
    expect(modelSent()).toBe('claude-sonnet-4.6');
    await ask('claude-sonnet-4-5');
    expect(modelSent()).toBe('claude-sonnet-4.5');
  });

  it('refuses [1m] with a 400 naming the real limit when no model of the family takes 1M', async () => {
    const error = await ask('claude-haiku-4-5[1m]').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toMatch(/claude-haiku-4\.5 takes at most 200,000 input tokens/);
  });
});

describe('payload guard sized by the chosen model', () => {
  const big = 'lorem ipsum dolor sit amet, '.repeat(30_000); // ≈ 840 KB, ≈ 233 000 estimated tokens

  it('tells a 200k model’s client its prompt is too long, naming the limit', async () => {
    const error = await ask('claude-sonnet-4-5', big).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toMatch(
      /prompt is too long.*200,000-token input limit of Kiro's claude-sonnet-4\.5/,
    );
  });

  it('still counts that prompt for count_tokens, over the limit as it is', async () => {
    const counted = await anthropic.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: big }],
    });
    expect(counted.input_tokens).toBeGreaterThan(200_000);
  });

  it('sends the same prompt to a 1M model', async () => {
    const message = await ask('claude-sonnet-4-6[1m]', `${big} [[reply:read it all]]`);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'read it all' });
  });
});

describe('GET /v1/models', () => {
  it('lists every model with its context window', async () => {
    const page = await openai.models.list();
    const sonnet = page.data.find((model) => model.id === 'claude-sonnet-4-6') as unknown as {
      context_window: number;
    };
    expect(sonnet.context_window).toBe(1_000_000);
    const haiku = page.data.find((model) => model.id === 'claude-haiku-4-5') as unknown as {
      context_window: number;
    };
    expect(haiku.context_window).toBe(200_000);
  });

  it('answers GET /v1/models/{id} in Anthropic’s shape for the Anthropic SDK', async () => {
    const model = await anthropic.models.retrieve('claude-sonnet-4-5');
    expect(model).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5', max_input_tokens: 200_000 });
    expect(model).not.toHaveProperty('object');
    const oneMillion = await anthropic.models.retrieve('claude-sonnet-4-6[1m]');
    expect(oneMillion).toMatchObject({ id: 'claude-sonnet-4-6[1m]', max_input_tokens: 1_000_000 });
  });

  it('answers GET /v1/models/{id} in OpenAI’s shape for the OpenAI SDK', async () => {
    const model = await openai.models.retrieve('claude-opus-4-8');
    expect(model).toMatchObject({
      object: 'model',
      id: 'claude-opus-4-8',
      owned_by: 'kiro',
      context_window: 1_000_000,
    });
    expect(model).not.toHaveProperty('type');
  });

  it('answers an unknown model with 404 in each API’s shape', async () => {
    const fromAnthropic = await anthropic.models.retrieve('gpt-9').catch((caught: unknown) => caught);
    expect(fromAnthropic).toBeInstanceOf(Anthropic.NotFoundError);
    expect((fromAnthropic as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    const fromOpenAI = await openai.models.retrieve('gpt-9').catch((caught: unknown) => caught);
    expect(fromOpenAI).toBeInstanceOf(OpenAI.NotFoundError);
    expect((fromOpenAI as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      type: 'invalid_request_error',
    });
  });
});
