/**
 * What both OpenAI APIs (Chat Completions and Responses) turn into the same Anthropic pieces: an image given as
 * a URL, and a reasoning effort. Pure.
 */
import type { AnthropicContentBlock, AnthropicRequest } from './anthropicRequest.ts';

const BASE64_DATA_URL = /^data:([^;,]+);base64,/i;

/** OpenAI effort names → the Anthropic `output_config.effort` scale (low | medium | high | max). */
const EFFORTS: Record<string, string> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'max',
  max: 'max',
};

/** A data: URL becomes a base64 image; http(s) URLs pass on, so the Kiro translation refuses them in its words. */
export function imageBlockFromUrl(url: string): AnthropicContentBlock {
  const dataUrl = BASE64_DATA_URL.exec(url);
  if (dataUrl === null) return { type: 'image', source: { type: 'url', url } };
  return {
    type: 'image',
    source: { type: 'base64', media_type: dataUrl[1]!, data: url.slice(dataUrl[0].length) },
  };
}

/** The Anthropic thinking fields for an OpenAI reasoning effort; none for no effort or `none`. */
export function thinkingForEffort(
  effort: string | null | undefined,
): Pick<AnthropicRequest, 'thinking' | 'output_config'> {
  if (effort == null || effort === 'none') return {};
  return { thinking: { type: 'adaptive' }, output_config: { effort: EFFORTS[effort] ?? 'high' } };
}
