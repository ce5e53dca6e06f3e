/**
 * The models the emulator serves (docs/upstream/models.md) and its ListAvailableModels answer (docs/upstream/endpoints.md §4).
 */

export const EMULATOR_MODEL_IDS = [
  'auto',
  'claude-sonnet-4',
  'claude-sonnet-4.5',
  'claude-sonnet-4.6',
  'claude-haiku-4.5',
  'claude-opus-4.5',
  'claude-opus-4.6',
  'claude-opus-4.7',
  'claude-opus-4.8',
  'deepseek-3.2',
  'glm-5',
  'minimax-m2.1',
  'minimax-m2.5',
  'qwen3-coder-next',
] as const;

export type EmulatorModelId = (typeof EMULATOR_MODEL_IDS)[number];

const MODEL_IDS: ReadonlySet<string> = new Set(EMULATOR_MODEL_IDS);
/** Models sold with a one-million-token window (the rest have 200 000). */
const MILLION_TOKEN_MODELS: ReadonlySet<string> = new Set([
  'claude-sonnet-4.6',
  'claude-opus-4.6',
  'claude-opus-4.7',
  'claude-opus-4.8',
]);

/** Models that advertise native reasoning fields (Claude 4.6 and later; 4.5 models refuse them). */
const NATIVE_REASONING_MODELS: ReadonlySet<string> = new Set([
  'claude-sonnet-4.6',
  'claude-opus-4.6',
  'claude-opus-4.7',
  'claude-opus-4.8',
]);
export const REASONING_EFFORTS: readonly string[] = ['low', 'medium', 'high', 'max'];

export function supportsNativeReasoning(modelId: unknown): boolean {
  return typeof modelId === 'string' && NATIVE_REASONING_MODELS.has(modelId);
}

/** The schema Kiro advertises for those models' `additionalModelRequestFields`. */
function reasoningFieldsSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      thinking: {
        type: 'object',
        properties: {
          type: { enum: ['adaptive', 'disabled'] },
          display: { enum: ['summarized', 'omitted'] },
        },
      },
      output_config: {
        type: 'object',
        properties: { effort: { enum: [...REASONING_EFFORTS], default: 'high' } },
      },
      max_tokens: { type: 'integer', minimum: 1024, maximum: 64000 },
    },
    additionalProperties: false,
  };
}

export const DEFAULT_MAX_INPUT_TOKENS = 200_000;

/** The model's `tokenLimits.maxInputTokens`; 200 000 for an id the catalogue does not list. */
export function maxInputTokensOf(modelId: unknown): number {
  return typeof modelId === 'string' && MILLION_TOKEN_MODELS.has(modelId)
    ? 1_000_000
    : DEFAULT_MAX_INPUT_TOKENS;
}

export function isEmulatorModelId(value: unknown): value is EmulatorModelId {
  return typeof value === 'string' && MODEL_IDS.has(value);
}

interface ModelDescription {
  modelId: string;
  modelName: string;
  description: string;
  rateMultiplier: number;
  rateUnit: string;
  tokenLimits: { maxInputTokens: number; maxOutputTokens: number };
  supportedInputTypes: string[];
  supportsPromptCache: boolean;
  additionalModelRequestFieldsSchema?: Record<string, unknown>;
}

function describeModel(modelId: string): ModelDescription {
  const isAuto = modelId === 'auto';
  return {
    modelId,
    modelName: isAuto ? 'Auto' : modelId.replace(/^claude-/, 'Claude ').replace(/-/g, ' '),
    description: isAuto
      ? 'Picks the best model for each task'
      : `${modelId.startsWith('claude-') ? 'Anthropic ' : ''}${modelId}`,
    rateMultiplier: modelId.includes('opus') ? 2.2 : modelId.includes('haiku') ? 0.4 : 1,
    rateUnit: 'Credit',
    tokenLimits: {
      maxInputTokens: maxInputTokensOf(modelId),
      maxOutputTokens: 64_000,
    },
    supportedInputTypes: ['TEXT', 'IMAGE'],
    supportsPromptCache: true,
    ...(supportsNativeReasoning(modelId)
      ? { additionalModelRequestFieldsSchema: reasoningFieldsSchema() }
      : {}),
  };
}

export function listAvailableModelsBody(): { models: ModelDescription[]; defaultModel: ModelDescription } {
  return { models: EMULATOR_MODEL_IDS.map(describeModel), defaultModel: describeModel('auto') };
}
