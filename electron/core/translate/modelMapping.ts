/**
 * Client model id → Kiro `modelId` (kiro-protocol.md §3). Claude Code ships default model ids newer than any
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

const DEFAULT_CONTEXT_WINDOW = 200_000;
const ONE_MILLION_CONTEXT_WINDOW = 1_000_000;

/** Minor versions are one or two digits, so an 8-digit date suffix is never taken for one. */
const VERSION = String.raw`(\d{1,2})(?:[-.](\d{1,2}))?`;
const SUFFIXES = String.raw`(?:-(?:\d{8}|latest))?(?:-thinking)?`;
const FAMILY_FIRST = new RegExp(String.raw`^claude-(opus|sonnet|haiku)-${VERSION}${SUFFIXES}$`);
const VERSION_FIRST = new RegExp(String.raw`^claude-${VERSION}-(opus|sonnet|haiku)${SUFFIXES}$`);
const ONE_MILLION_SUFFIX = /\[1m\]$/i;

export interface ResolvedModel {
  modelId: string;
  contextWindow: number;
}

export function resolveModel(clientModel: string, aliases?: Record<string, string>): ResolvedModel {
  const wantsOneMillion = ONE_MILLION_SUFFIX.test(clientModel);
  const contextWindow = wantsOneMillion ? ONE_MILLION_CONTEXT_WINDOW : DEFAULT_CONTEXT_WINDOW;
  const baseModel = clientModel.replace(ONE_MILLION_SUFFIX, '').trim();
  const aliased = aliases?.[clientModel] ?? aliases?.[baseModel];
  if (aliased !== undefined) return { modelId: aliased, contextWindow };
  const modelId = mapToKiroModel(baseModel.toLowerCase());
  if (modelId === undefined) throw unavailableModelError(clientModel);
  return { modelId, contextWindow };
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
