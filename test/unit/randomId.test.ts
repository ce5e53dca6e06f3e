import { describe, expect, it } from 'vitest';
import { randomId } from '../../electron/core/server/randomId.ts';

describe('randomId', () => {
  it('is the prefix and 24 hex digits, different every time', () => {
    const ids = Array.from({ length: 10_000 }, () => randomId('req_'));
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every hex digit in every position (no fixed UUID version or variant digit)', () => {
    const seen = Array.from({ length: 24 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++)
      [...randomId('')].forEach((digit, position) => seen[position]!.add(digit));
    for (const digits of seen) expect(digits.size).toBe(16);
  });
});
