/** The last user message's text, from an Anthropic, OpenAI Chat or Responses request body, cut to `maxChars`. */
export function lastUserPrompt(body: unknown, maxChars: number): string | undefined {
  const { messages, input } = (body ?? {}) as { messages?: unknown; input?: unknown };
  // The Responses API sends `input`: one string, or items of which messages carry a role.
  if (typeof input === 'string') return input.trim() ? cut(input.trim(), maxChars) : undefined;
  const turns = messages ?? input;
  if (!Array.isArray(turns)) return undefined;
  // A tool round trip ends with a user message holding only tool results: the prompt is further back.
  for (let i = turns.length - 1; i >= 0; i--) {
    const message = turns[i] as { role?: unknown; content?: unknown } | undefined;
    if (message?.role !== 'user') continue;
    const text = textOf(message.content);
    if (text) return cut(text, maxChars);
  }
  return undefined;
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content.trim() || undefined;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter((part): part is { type: string; text: string } => {
      const candidate = part as { type?: unknown; text?: unknown } | undefined;
      const textual = candidate?.type === 'text' || candidate?.type === 'input_text';
      return textual && typeof candidate?.text === 'string';
    })
    .map((part) => part.text.trim())
    // Claude Code puts a <system-reminder> block ahead of what the user typed: context, not the prompt.
    .filter((text) => text.length > 0 && !text.startsWith('<system-reminder>'));
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** By code points, so an emoji or other astral character is never split in half. */
function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return Array.from(text).slice(0, maxChars).join('');
}
