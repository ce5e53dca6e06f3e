/** The text of the last user message that has any, from an Anthropic or OpenAI request body, cut to `maxChars`. */
export function lastUserPrompt(body: unknown, maxChars: number): string | undefined {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return undefined;
  // A tool round trip ends with a user message holding only tool results: the prompt is further back.
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | undefined;
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
    .filter((part): part is { type: 'text'; text: string } => {
      const candidate = part as { type?: unknown; text?: unknown } | undefined;
      return candidate?.type === 'text' && typeof candidate.text === 'string';
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
