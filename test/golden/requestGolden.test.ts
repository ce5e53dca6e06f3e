/**
 * Request translation golden cases: test/golden/requests/<case>/{request.json | openai-request.json,
 * options.json?} → expected.json (the Kiro body). Every body must also pass the emulator's strict validator,
 * which encodes what the real upstream rejects. Regenerate with UPDATE_GOLDEN=1 and review the diff by eye.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KiroConversationRequest } from '../../electron/core/kiro/kiroRequest.ts';
import {
  anthropicRequestSchema,
  type AnthropicRequest,
} from '../../electron/core/translate/anthropicRequest.ts';
import {
  translateAnthropicRequest,
  type KiroTranslation,
  type TranslateOptions,
} from '../../electron/core/translate/anthropicToKiro.ts';
import { openaiChatRequestSchema } from '../../electron/core/translate/openaiRequest.ts';
import { openaiToAnthropic } from '../../electron/core/translate/openaiToAnthropic.ts';
import { builtInReasoningSupport } from '../../electron/core/translate/nativeReasoning.ts';
import { webSearchConfigOf } from '../../electron/core/translate/webSearchTool.ts';
import { findStrictViolation } from '../emulator/strictValidator.ts';

const CASES_DIR = fileURLToPath(new URL('./requests/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

interface CaseRun {
  request: AnthropicRequest;
  translation: KiroTranslation;
}

function runCase(dir: string): CaseRun {
  const optionsPath = join(dir, 'options.json');
  const recorded = (existsSync(optionsPath) ? readJson(optionsPath) : {}) as GoldenOptions;
  const openaiPath = join(dir, 'openai-request.json');
  const request = existsSync(openaiPath)
    ? // The converted request must itself be a valid Anthropic request.
      anthropicRequestSchema.parse(openaiToAnthropic(openaiChatRequestSchema.parse(readJson(openaiPath))))
    : anthropicRequestSchema.parse(readJson(join(dir, 'request.json')));
  return { request, translation: translateAnthropicRequest(request, translateOptions(recorded, request)) };
}

/**
 * options.json as data: `"reasoning": "built-in"` turns native reasoning on with the built-in model rule, and
 * `"webSearch": "from-tools"` offers search the way the routes do when the request has the server tool.
 */
type GoldenOptions = Omit<TranslateOptions, 'reasoning' | 'webSearch'> & {
  reasoning?: 'built-in';
  webSearch?: 'from-tools';
};

function translateOptions(recorded: GoldenOptions, request: AnthropicRequest): TranslateOptions {
  const { reasoning, webSearch, ...options } = recorded;
  const search = webSearch === 'from-tools' ? webSearchConfigOf(request) : undefined;
  return {
    ...options,
    ...(reasoning === 'built-in' ? { reasoning: builtInReasoningSupport } : {}),
    ...(search ? { webSearch: search } : {}),
  };
}

/** Every name a client used for a tool, declared or called. */
function clientToolNames(request: AnthropicRequest): Set<string> {
  const names = new Set((request.tools ?? []).map((tool) => tool.name));
  for (const message of request.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_use') names.add(String(block.name));
  }
  return names;
}

function kiroToolNames(body: KiroConversationRequest): string[] {
  const state = body.conversationState;
  const declared = state.currentMessage.userInputMessage.userInputMessageContext?.tools ?? [];
  const called = (state.history ?? []).flatMap((entry) =>
    'assistantResponseMessage' in entry ? (entry.assistantResponseMessage.toolUses ?? []) : [],
  );
  return [...declared.map((tool) => tool.toolSpecification.name), ...called.map((toolUse) => toolUse.name)];
}

const caseNames = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('request translation golden cases', () => {
  it('covers at least 20 cases', () => {
    expect(caseNames.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of caseNames) {
    it(name, () => {
      const dir = join(CASES_DIR, name);
      const { request, translation } = runCase(dir);
      expect(findStrictViolation(translation.body)).toBeNull();

      const clientNames = clientToolNames(request);
      for (const kiroName of kiroToolNames(translation.body)) {
        expect(clientNames).toContain(translation.restoreToolName(kiroName));
      }

      const expectedPath = join(dir, 'expected.json');
      if (UPDATE) writeFileSync(expectedPath, `${JSON.stringify(translation.body, null, 2)}\n`);
      expect(existsSync(expectedPath), `${expectedPath} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(translation.body).toEqual(readJson(expectedPath));
    });
  }
});
