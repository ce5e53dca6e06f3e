/** Real API traffic through the proxy, with the official Anthropic SDK and the client key. */
import Anthropic from '@anthropic-ai/sdk';

export interface AskOptions {
  stream?: boolean;
  /** Absent: the API's default (1). The response cache answers only `0` unless told otherwise. */
  temperature?: number;
}

export interface ProxyTraffic {
  /** One message; the emulator's directives (`[[reply:…]]`, `[[delay:…]]`) shape the answer. */
  ask(prompt: string, options?: AskOptions): Promise<string>;
  /** Sends the prompts a few at a time, every other one streamed; every answer must succeed. */
  burst(prompts: string[], concurrency?: number, options?: Pick<AskOptions, 'temperature'>): Promise<void>;
}

export const MODEL = 'claude-sonnet-4-5';

export function createProxyTraffic(baseURL: string, apiKey: string): ProxyTraffic {
  const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 15_000 });
  const ask: ProxyTraffic['ask'] = async (prompt, options = {}) => {
    const params = {
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: prompt }],
      ...(options.temperature !== undefined && { temperature: options.temperature }),
    };
    if (options.stream) {
      const message = await client.messages.stream(params).finalMessage();
      return textOf(message);
    }
    return textOf(await client.messages.create(params));
  };
  return {
    ask,
    async burst(prompts, concurrency = 4, options = {}) {
      const queue = prompts.entries();
      const worker = async () => {
        for (const [index, prompt] of queue) await ask(prompt, { ...options, stream: index % 2 === 0 });
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    },
  };
}

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}
