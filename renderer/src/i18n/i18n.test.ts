import { describe, expect, it } from 'vitest';
import { preferredLanguage, resources } from './i18n.ts';

function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, path ? `${path}.${key}` : key),
  );
}

describe('languages', () => {
  it('follows the OS until the user picks one', () => {
    expect(preferredLanguage(null, ['zh-CN', 'en-US'])).toBe('zh');
    expect(preferredLanguage(null, ['zh-TW'])).toBe('zh');
    expect(preferredLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(preferredLanguage(null, ['fr-FR'])).toBe('en');
    expect(preferredLanguage('en', ['zh-CN'])).toBe('en');
    expect(preferredLanguage('xx', ['zh-CN'])).toBe('zh');
  });

  it('has every English text in Chinese too, none empty, with the same placeholders', () => {
    const english = new Map(leaves(resources.en));
    const chinese = new Map(leaves(resources.zh));
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) {
      const translated = chinese.get(key) ?? '';
      expect(translated.trim(), key).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });
});
