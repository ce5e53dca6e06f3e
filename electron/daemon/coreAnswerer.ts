/** How `kiro-dock daemon` and `kiro-dock chat` ask the core: its public prompt entry point, nothing deeper. */
import { PromptError, type Core } from '../core/index.ts';
import type { Logger } from '../core/ports.ts';
import type { Answerer } from './daemonLoop.ts';

/** When neither `--model` nor the request names one. */
export const DEFAULT_MODEL = 'claude-sonnet-4-6';

export function coreAnswerer(core: Core, defaultModel: string): Answerer {
  return async (prompt, options) => {
    const answer = await core.runPrompt(
      {
        model: prompt.model ?? defaultModel,
        messages: prompt.messages,
        system: prompt.system,
        maxTokens: prompt.maxTokens,
        stream: options.stream,
        source: 'daemon',
      },
      { onText: options.onText, signal: options.signal },
    );
    return answer.text;
  };
}

/** A failure in the words the caller gets; anything unexpected is logged and named only vaguely. */
export function describeFailure(logger: Logger): (error: unknown) => { type: string; message: string } {
  return (error) => {
    if (error instanceof PromptError) return { type: error.type, message: error.message };
    logger.error(
      { error: error instanceof Error ? error.stack : String(error) },
      'prompt failed unexpectedly',
    );
    return { type: 'api_error', message: 'Internal error in Kiro Dock; see its log.' };
  };
}

export function checkedModel(flag: string | undefined): string {
  if (flag === undefined) return DEFAULT_MODEL;
  if (flag.trim() === '')
    throw new Error(`--model needs a model id such as ${DEFAULT_MODEL} (or omit it for that default)`);
  return flag;
}
