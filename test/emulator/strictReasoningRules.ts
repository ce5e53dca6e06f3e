/**
 * What Kiro refuses about native reasoning (docs/native-reasoning.md): the fields on a model that does not take
 * them, a thinking type other than adaptive/disabled, an effort the model does not list, unknown keys; in
 * history a reasoningContent that is not one nested object, and signatures Kiro did not issue.
 */
import { isValidRedactedReasoning, isValidSignature } from './reasoningSignature.ts';
import { REASONING_EFFORTS, supportsNativeReasoning } from './modelCatalogue.ts';
import type { StrictRejection } from './strictValidator.ts';

type JsonObject = Record<string, unknown>;

const malformed = (reason: string): StrictRejection => ({
  reason,
  body: { message: 'Improperly formed request.', reason: 'REQUEST_BODY_INVALID' },
});

export function checkReasoningFields(body: JsonObject, modelId: unknown): StrictRejection | undefined {
  const fields = body['additionalModelRequestFields'];
  if (fields === undefined) return undefined;
  if (!isObject(fields)) return malformed('additionalModelRequestFields is not an object');
  if (!supportsNativeReasoning(modelId)) {
    return {
      reason: `additionalModelRequestFields sent for ${JSON.stringify(modelId)}, which does not take them`,
      body: { message: 'additionalModelRequestFields is not supported for this model', reason: null },
    };
  }
  const unknown = Object.keys(fields).filter(
    (key) => !['thinking', 'output_config', 'max_tokens'].includes(key),
  );
  if (unknown.length > 0)
    return malformed(`additionalModelRequestFields has unknown keys ${unknown.join(', ')}`);
  const thinking = fields['thinking'];
  const type = isObject(thinking) ? thinking['type'] : undefined;
  if (type !== 'adaptive' && type !== 'disabled') {
    return malformed(
      `additionalModelRequestFields.thinking.type ${JSON.stringify(type)} is not adaptive or disabled`,
    );
  }
  const config = fields['output_config'];
  if (config === undefined) return undefined;
  const effort = isObject(config) ? config['effort'] : undefined;
  if (typeof effort !== 'string' || !REASONING_EFFORTS.includes(effort)) {
    return malformed(
      `additionalModelRequestFields.output_config.effort ${JSON.stringify(effort)} is not accepted`,
    );
  }
  return undefined;
}

/** The runtime host takes no native reasoning fields, for any model (docs/native-reasoning.md). */
export function checkReasoningFieldsOnHost(body: unknown, host: string): StrictRejection | undefined {
  if (host !== 'runtime' || !isObject(body) || body['additionalModelRequestFields'] === undefined)
    return undefined;
  return {
    reason: 'additionalModelRequestFields sent to the runtime host, which does not take them',
    body: { message: 'additionalModelRequestFields is not supported for this model', reason: null },
  };
}

/** One assistant message's reasoningContent: one object, nested, with a signature this service issued. */
export function checkReplayedReasoning(message: JsonObject, where: string): StrictRejection | undefined {
  const reasoning = message['reasoningContent'];
  if (reasoning === undefined) return undefined;
  if (!isObject(reasoning))
    return malformed(`${where}.reasoningContent is not an object (a ${kindOf(reasoning)})`);
  const keys = Object.keys(reasoning);
  if (keys.length !== 1)
    return malformed(`${where}.reasoningContent must hold exactly one of reasoningText, redactedContent`);
  if (typeof reasoning['redactedContent'] === 'string') {
    return isValidRedactedReasoning(reasoning['redactedContent'])
      ? undefined
      : signatureInvalid(`${where}.reasoningContent.redactedContent was not issued here`);
  }
  const text = reasoning['reasoningText'];
  if (!isObject(text) || typeof text['text'] !== 'string' || typeof text['signature'] !== 'string') {
    return malformed(`${where}.reasoningContent.reasoningText needs text and signature strings`);
  }
  return isValidSignature(text['text'], text['signature'])
    ? undefined
    : signatureInvalid(`${where}.reasoningContent signature does not match its text`);
}

function signatureInvalid(reason: string): StrictRejection {
  return {
    reason,
    body: { message: 'Invalid signature in thinking block.', reason: 'THINKING_SIGNATURE_INVALID' },
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'list' : typeof value;
}
