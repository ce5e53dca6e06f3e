/**
 * What the user typed, out of a Kiro current message's content. Kiro has no system field, so a proxy puts the
 * system prompt (and thinking tags) into the content, and Claude Code wraps the prompt in context of its own:
 * `<system-reminder>` blocks before it and sections such as `# Environment` after it. Echoing the end of the
 * content would echo that context, and look as if the prompt had been mangled.
 */
const THINKING_TAGS = /^(\s*<thinking_(mode|effort)>[^<]*<\/thinking_(mode|effort)>)+/;
const SYSTEM_PROMPT = /--- SYSTEM PROMPT ---\n[\s\S]*?\n--- END SYSTEM PROMPT ---/g;
const SYSTEM_REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;
/** A markdown heading at the start of a paragraph: a context section appended after the prompt. */
const CONTEXT_SECTION = /(^|\n\n)# [^\n]+\n[\s\S]*$/;

export function userTextOf(content: string): string {
  const stripped = content
    .replace(THINKING_TAGS, '')
    .replace(SYSTEM_PROMPT, '')
    .replace(SYSTEM_REMINDER, '')
    .trim();
  const beforeContext = stripped.replace(CONTEXT_SECTION, '').trim();
  // A prompt that is itself a markdown document: keep it whole rather than echo nothing.
  return beforeContext === '' ? stripped : beforeContext;
}
