/**
 * The two ways a benchmark reaches an answer: straight from the emulator (a Kiro request, first text = the first
 * decoded assistantResponseEvent) or through Kiro Dock (an Anthropic request, first text = the first text_delta).
 * Both use keep-alive connections. Every request through Kiro Dock has a unique prompt, so the response cache
 * never answers in place of Kiro.
 */
import http from 'node:http';
import { createKiroEventDecoder } from '../electron/core/kiro/kiroEventDecoder.ts';
import { translateAnthropicRequest } from '../electron/core/translate/anthropicToKiro.ts';

export interface Timing {
  firstText: number;
  total: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function closeBenchClients(): void {
  agent.destroy();
}

function timedPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  isFirstText: (chunk: Buffer) => boolean,
): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstText = 0;
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} from ${url}`));
        res.on('data', (chunk: Buffer) => {
          if (firstText === 0 && isFirstText(chunk)) firstText = performance.now() - start;
        });
        res.on('end', () => resolve({ firstText, total: performance.now() - start }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function anthropicRequest(prompt: string) {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    stream: true,
    messages: [{ role: 'user' as const, content: prompt }],
  };
}

export function directClient(
  emulatorUrl: string,
  accessToken: string,
  prompt: string,
): () => Promise<Timing> {
  const body = JSON.stringify(translateAnthropicRequest(anthropicRequest(prompt)).body);
  return () => {
    const decoder = createKiroEventDecoder();
    return timedPost(
      `${emulatorUrl}/generateAssistantResponse`,
      { authorization: `Bearer ${accessToken}` },
      body,
      (chunk) => decoder.push(chunk).some((event) => event.type === 'assistantResponse'),
    );
  };
}

export function proxyClient(proxyUrl: string, clientKey: string, prompt: string): () => Promise<Timing> {
  let counter = 0;
  return () =>
    timedPost(
      `${proxyUrl}/v1/messages`,
      { 'x-api-key': clientKey },
      JSON.stringify(anthropicRequest(`${prompt} #${++counter}`)),
      (chunk) => chunk.includes('"text_delta"'),
    );
}
