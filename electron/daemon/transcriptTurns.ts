/**
 * A flat prompt in the transcript form many agent runtimes send (`User: Hello\n\nAssistant: `) → the turns of an
 * Anthropic request. Kiro keeps a conversation as turns: sending the transcript as one user message would have
 * the model answer a document about a conversation instead of taking its turn in it.
 */

export interface TranscriptMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface TranscriptTurns {
  /** What `System:` turns said, joined; undefined when there were none. */
  system?: string;
  messages: TranscriptMessage[];
}

/** Speaker labels at the start of a line; `Human:`/`AI:` are the same roles under other names. */
const SPEAKER = /^(User|Human|Assistant|AI|System):[ \t]?/gm;

const ROLES: Record<string, 'user' | 'assistant' | 'system'> = {
  User: 'user',
  Human: 'user',
  Assistant: 'assistant',
  AI: 'assistant',
  System: 'system',
};

/**
 * Text without any speaker label is one user message. Text before the first label is the user's too. An empty
 * last `Assistant:` turn is the cue for the answer and is dropped; a non-empty one is kept (a prefill).
 */
export function transcriptTurns(prompt: string): TranscriptTurns {
  const pieces: Array<{ role: 'user' | 'assistant' | 'system'; text: string }> = [];
  let role: 'user' | 'assistant' | 'system' = 'user';
  let from = 0;
  for (const match of prompt.matchAll(SPEAKER)) {
    pieces.push({ role, text: prompt.slice(from, match.index) });
    role = ROLES[match[1]!]!;
    from = match.index + match[0].length;
  }
  pieces.push({ role, text: prompt.slice(from) });
  const system = pieces
    .filter((piece) => piece.role === 'system')
    .map((piece) => piece.text.trim())
    .filter((text) => text.length > 0);
  const messages: TranscriptMessage[] = [];
  for (const piece of pieces) {
    if (piece.role === 'system') continue;
    const content = piece.text.trim();
    if (content.length > 0) messages.push({ role: piece.role, content });
  }
  return { ...(system.length > 0 && { system: system.join('\n\n') }), messages };
}

/** The other way, for the one-shot fallback: turns → the transcript form `kiro-dock chat` reads. */
export function transcriptOf(turns: TranscriptTurns): string {
  const lines = turns.system === undefined ? [] : [`System: ${turns.system}`];
  for (const message of turns.messages)
    lines.push(`${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content}`);
  if (turns.messages.at(-1)?.role !== 'assistant') lines.push('Assistant: ');
  return lines.join('\n\n');
}
