// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { takeLoginCode } from './session.ts';

function open(hash: string): string | undefined {
  window.history.replaceState(null, '', `/dashboard/${hash}`);
  return takeLoginCode();
}

describe('the login code in the fragment', () => {
  it('lands on the overview, the code gone from the address', () => {
    expect(open('#login=abc')).toBe('abc');
    expect(window.location.hash).toBe('#/overview');
  });

  it('lands on the page `next` names (the tray opens the sign-in so)', () => {
    expect(open('#login=abc&next=accounts%2Fsign-in')).toBe('abc');
    expect(window.location.hash).toBe('#/accounts/sign-in');
  });

  it('ignores a `next` that is not a plain route', () => {
    expect(open('#login=abc&next=https%3A%2F%2Fevil.example')).toBe('abc');
    expect(window.location.hash).toBe('#/overview');
  });
});
