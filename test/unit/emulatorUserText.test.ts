/** The emulator's canned reply echoes what the user typed, not the context a client wrapped around it. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { userTextOf } from '../emulator/userText.ts';

describe('userTextOf', () => {
  it('leaves a plain prompt as it is', () => {
    expect(userTextOf('  Hello there  ')).toBe('Hello there');
  });

  it('drops thinking tags, the system prompt, system reminders and appended context sections', () => {
    const content = [
      '<thinking_mode>adaptive</thinking_mode><thinking_effort>medium</thinking_effort>',
      '--- SYSTEM PROMPT ---\nYou are a Claude agent.\n\n# Harness\nRules.\n--- END SYSTEM PROMPT ---',
      '<system-reminder>\nAttribution for git commits.\n\n# Notes\n</system-reminder>',
      'please list the files here',
      '# Environment\nYou have been invoked in the following environment:\n- init: Initialize\n\nToday is Monday.',
    ].join('\n\n');
    expect(userTextOf(content)).toBe('please list the files here');
  });

  it('keeps a prompt that is a markdown document whole', () => {
    expect(userTextOf('# Plan\n\nStep one.')).toBe('# Plan\n\nStep one.');
  });

  it("finds the prompt in the current message of a real Claude Code request's Kiro body", () => {
    const expected = JSON.parse(
      fs.readFileSync('test/golden/requests/claude-code-captured/expected.json', 'utf8'),
    ) as { conversationState: { currentMessage: { userInputMessage: { content: string } } } };
    const content = expected.conversationState.currentMessage.userInputMessage.content;
    // The user typed "say hi"; a reminder came before it and a system message (# Environment…) after.
    expect(userTextOf(content)).toBe('say hi');
  });
});
