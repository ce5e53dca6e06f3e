import { describe, expect, it } from 'vitest';
import type { AnthropicRequest } from '../../electron/core/translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../../electron/core/translate/anthropicToKiro.ts';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  fitPayload,
  OMITTED_IMAGE_TEXT,
} from '../../electron/core/translate/payloadGuard.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { findStrictViolation } from '../emulator/strictValidator.ts';

/** A PNG-signed payload of roughly `bytes` base64 characters. */
function pngData(bytes: number): string {
  const raw = Buffer.alloc(Math.ceil((bytes * 3) / 4));
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(raw);
  return raw.toString('base64');
}

const image = (bytes: number) => ({
  type: 'image' as const,
  source: { type: 'base64' as const, media_type: 'image/png', data: pngData(bytes) },
});

function imageConversation(imageBytes: number[], currentImageBytes?: number): AnthropicRequest {
  const messages: AnthropicRequest['messages'] = [];
  imageBytes.forEach((bytes, index) => {
    messages.push({ role: 'user', content: [image(bytes), { type: 'text', text: `screenshot ${index}` }] });
    messages.push({ role: 'assistant', content: `seen ${index}` });
  });
  const current = currentImageBytes === undefined ? [] : [image(currentImageBytes)];
  messages.push({ role: 'user', content: [...current, { type: 'text', text: 'and now?' }] });
  return { model: 'claude-sonnet-4-5', messages };
}

const bodySize = (body: unknown) => Buffer.byteLength(JSON.stringify(body));
const options = { conversationId: '00000000-0000-4000-8000-000000000001' };

describe('payload guard', () => {
  it('leaves a body under the limit untouched', () => {
    const request = imageConversation([10_000], 10_000);
    const { body } = translateAnthropicRequest(request, { ...options, maxPayloadBytes: 100_000 });
    const first = body.conversationState.history?.[0];
    expect(first && 'userInputMessage' in first ? first.userInputMessage.images : undefined).toHaveLength(1);
  });

  it('drops images from the oldest history turns first, leaving a text note, until the body fits', () => {
    const request = imageConversation([40_000, 40_000, 40_000], 20_000);
    const full = translateAnthropicRequest(request, { ...options, maxPayloadBytes: 10_000_000 });
    const limit = bodySize(full.body) - 50_000;
    const { body } = translateAnthropicRequest(request, { ...options, maxPayloadBytes: limit });
    expect(bodySize(body)).toBeLessThanOrEqual(limit);
    const users = (body.conversationState.history ?? []).flatMap((entry) =>
      'userInputMessage' in entry ? [entry.userInputMessage] : [],
    );
    expect(users.map((message) => message.images?.length ?? 0)).toEqual([0, 0, 1]);
    expect(users[0]!.content).toBe(`screenshot 0\n\n${OMITTED_IMAGE_TEXT}`);
    expect(users[1]!.content).toBe(`screenshot 1\n\n${OMITTED_IMAGE_TEXT}`);
    expect(users[2]!.content).toBe('screenshot 2');
    expect(body.conversationState.currentMessage.userInputMessage.images).toHaveLength(1);
    expect(findStrictViolation(body)).toBeNull();
  });

  it('returns a trimmed copy and leaves the body it was given untouched', () => {
    const { body } = translateAnthropicRequest(imageConversation([40_000]), {
      ...options,
      maxPayloadBytes: 10_000_000,
    });
    const before = JSON.stringify(body);
    const fitted = fitPayload(body, 30_000);
    expect(bodySize(fitted)).toBeLessThanOrEqual(30_000);
    expect(fitted).not.toBe(body);
    expect(JSON.stringify(body)).toBe(before);
  });

  it('throws "prompt is too long" with both sizes when text alone is over the limit', () => {
    const request: AnthropicRequest = {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'x'.repeat(700_000) }],
    };
    let error: unknown;
    try {
      translateAnthropicRequest(request, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RequestError);
    const message = (error as RequestError).message;
    expect(message).toMatch(
      /^prompt is too long: the Kiro request is \d+ bytes, over the upstream limit of 600000 bytes\./,
    );
    expect(Number(/is (\d+) bytes/.exec(message)?.[1])).toBeGreaterThan(700_000);
    expect(message).toContain('/compact');
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(600_000);
  });

  it('still throws when dropping every history image is not enough', () => {
    const request = imageConversation([40_000], 200_000);
    expect(() => translateAnthropicRequest(request, { ...options, maxPayloadBytes: 100_000 })).toThrow(
      /prompt is too long/,
    );
  });
});
