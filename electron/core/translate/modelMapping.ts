/**
 * Client model id → Kiro `modelId` (docs/upstream/models.md). Claude Code ships default model ids newer than any
 * table written today, so Anthropic-style ids are parsed by rule and fall back to the newest Kiro model of the
 * same family instead of failing.
 */
import { RequestError } from './requestError.ts';

export const KNOWN_KIRO_MODELS: readonly string[] = [
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
];

const NEWEST_OF_FAMILY: Record<ClaudeFamily, string> = {
  opus: 'claude-opus-4.8',
  sonnet: 'claude-sonnet-4.6',
  haiku: 'claude-haiku-4.5',
};

type ClaudeFamily = 'opus' | 'sonnet' | 'haiku';

/** Input tokens a Kiro model takes (ListAvailableModels `tokenLimits.maxInputTokens`), by Kiro model id. */
export type ModelLimits = ReadonlyMap<string, number>;

const DEFAULT_CONTEXT_WINDOW = 200_000;
const ONE_MILLION_CONTEXT_WINDOW = 1_000_000;

/**
 * Used until Kiro's own list has been read (no account yet, or Kiro failed): the models peers and Kiro's
 * catalogue agree take a million input tokens (docs/context-windows.md); every other model 200 000.
 */
export const BUILT_IN_MODEL_LIMITS: ModelLimits = new Map(
  KNOWN_KIRO_MODELS.map((id) => [
    id,
    ['claude-sonnet-4.6', 'claude-opus-4.6', 'claude-opus-4.7', 'claude-opus-4.8'].includes(id)
      ? ONE_MILLION_CONTEXT_WINDOW
      : DEFAULT_CONTEXT_WINDOW,
  ]),
);

/** Minor versions are one or two digits, so an 8-digit date suffix is never taken for one. */
const VERSION = String.raw`(\d{1,2})(?:[-.](\d{1,2}))?`;
const SUFFIXES = String.raw`(?:-(?:\d{8}|latest))?(?:-thinking)?`;
const FAMILY_FIRST = new RegExp(String.raw`^claude-(opus|sonnet|haiku)-${VERSION}${SUFFIXES}$`);
const VERSION_FIRST = new RegExp(String.raw`^claude-${VERSION}-(opus|sonnet|haiku)${SUFFIXES}$`);
const ONE_MILLION_SUFFIX = /\[1m\]$/i;

export interface ResolvedModel {
  modelId: string;
  /** The chosen Kiro model's input limit, in tokens: the payload guard's size and the usage math's window. */
  contextWindow: number;
}

/**
 * `[1m]` (Claude Code's 1M-context variant) is honoured only with a Kiro model that takes a million input
 * tokens: the same model when it does, else the newest of its family that does; else a 400 naming the real
 * limit, because a client that believes in a window the model lacks never compacts in time.
 */
export function resolveModel(
  clientModel: string,
  aliases?: Record<string, string>,
  limits: ModelLimits = BUILT_IN_MODEL_LIMITS,
): ResolvedModel {
  const wantsOneMillion = ONE_MILLION_SUFFIX.test(clientModel);
  const baseModel = clientModel.replace(ONE_MILLION_SUFFIX, '').trim();
  const modelId = aliases?.[clientModel] ?? aliases?.[baseModel] ?? mapToKiroModel(baseModel.toLowerCase());
  if (modelId === undefined) throw unavailableModelError(clientModel);
  const resolved = { modelId, contextWindow: limitOf(modelId, limits) };
  if (!wantsOneMillion || resolved.contextWindow >= ONE_MILLION_CONTEXT_WINDOW) return resolved;
  const larger = oneMillionSibling(modelId, limits);
  if (larger !== undefined) return { modelId: larger, contextWindow: limitOf(larger, limits) };
  throw noOneMillionError(clientModel, resolved);
}

function limitOf(modelId: string, limits: ModelLimits): number {
  return limits.get(modelId) ?? BUILT_IN_MODEL_LIMITS.get(modelId) ?? DEFAULT_CONTEXT_WINDOW;
}

/** The newest model of the same Claude family that takes a million input tokens. */
function oneMillionSibling(modelId: string, limits: ModelLimits): string | undefined {
  const family = /^claude-(opus|sonnet|haiku)-/.exec(modelId)?.[1];
  if (family === undefined) return undefined;
  const candidates = [...limits.entries()]
    .filter(([id, limit]) => id.startsWith(`claude-${family}-`) && limit >= ONE_MILLION_CONTEXT_WINDOW)
    .map(([id]) => id);
  return candidates.sort(byVersion).at(-1);
}

function byVersion(a: string, b: string): number {
  const version = (id: string) => (/-(\d+(?:\.\d+)?)$/.exec(id)?.[1] ?? '0').split('.').map(Number);
  const [aMajor = 0, aMinor = 0] = version(a);
  const [bMajor = 0, bMinor = 0] = version(b);
  return aMajor - bMajor || aMinor - bMinor;
}

function noOneMillionError(clientModel: string, resolved: ResolvedModel): RequestError {
  const limit = resolved.contextWindow.toLocaleString('en-US');
  return new RequestError(
    `model "${clientModel}" asks for a 1M-token context, but Kiro's ${resolved.modelId} takes at most ${limit} ` +
      `input tokens and no model of its family on Kiro takes 1M; use "${clientModel.replace(ONE_MILLION_SUFFIX, '')}" ` +
      `(the ${limit}-token window) so that compaction happens in time`,
  );
}

function mapToKiroModel(model: string): string | undefined {
  if (KNOWN_KIRO_MODELS.includes(model)) return model;
  const parsed = parseClaudeModel(model);
  if (parsed === undefined) return undefined;
  const dotted = `claude-${parsed.family}-${parsed.major}${parsed.minor === undefined ? '' : `.${parsed.minor}`}`;
  return KNOWN_KIRO_MODELS.includes(dotted) ? dotted : NEWEST_OF_FAMILY[parsed.family];
}

function parseClaudeModel(
  model: string,
): { family: ClaudeFamily; major: string; minor?: string } | undefined {
  const familyFirst = FAMILY_FIRST.exec(model);
  if (familyFirst) {
    const [, family, major, minor] = familyFirst;
    return { family: family as ClaudeFamily, major: major!, minor };
  }
  const versionFirst = VERSION_FIRST.exec(model);
  if (versionFirst) {
    const [, major, minor, family] = versionFirst;
    return { family: family as ClaudeFamily, major: major!, minor };
  }
  return undefined;
}

function unavailableModelError(clientModel: string): RequestError {
  return new RequestError(
    `model "${clientModel}" is not available on Kiro; use a Claude model id (e.g. claude-sonnet-4-5) ` +
      `or a Kiro id (${KNOWN_KIRO_MODELS.join(', ')}), or add an alias`,
  );
}
