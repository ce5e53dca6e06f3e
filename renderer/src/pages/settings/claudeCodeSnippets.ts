/** The Claude Code lines as shown on screen: the client key replaced by its preview, so a glance or a screen share does not leak it. */
import type { ClaudeCodeSetupView } from '../../../../shared/adminApi.ts';

const TOKEN_LINE = /^export ANTHROPIC_AUTH_TOKEN=(.*)$/;

/** The key in the `export ANTHROPIC_AUTH_TOKEN=…` line, with POSIX single quotes undone. */
export function clientKeyInEnvLines(envLines: readonly string[]): string | undefined {
  for (const line of envLines) {
    const value = TOKEN_LINE.exec(line)?.[1];
    if (value === undefined) continue;
    const quoted = /^'(.*)'$/s.exec(value);
    return quoted ? quoted[1]!.replaceAll(`'\\''`, `'`) : value;
  }
  return undefined;
}

export interface ShownSnippets {
  envText: string;
  settingsText: string;
}

export function maskedSnippets(setup: ClaudeCodeSetupView, keyPreview: string): ShownSnippets {
  const key = clientKeyInEnvLines(setup.envLines);
  const mask = (text: string) => (key ? text.replaceAll(key, keyPreview) : text);
  return { envText: mask(setup.envLines.join('\n')), settingsText: mask(setup.settingsSnippet) };
}
