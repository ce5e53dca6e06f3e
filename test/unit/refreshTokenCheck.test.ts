import { describe, expect, it } from 'vitest';
import { apiKeyProblem, refreshTokenProblem } from '../../electron/core/accounts/refreshTokenCheck.ts';

const WHOLE_REFRESH_TOKEN = `aorAAAAAGh${'Zk3_-x9Q'.repeat(40)}`;
const WHOLE_API_KEY = `ksk_${'a1B2c3D4e5'.repeat(4)}`;

describe('refresh token check', () => {
  it('accepts a whole token, also with whitespace around it from pasting', () => {
    expect(refreshTokenProblem(WHOLE_REFRESH_TOKEN)).toBeUndefined();
    expect(refreshTokenProblem(`  ${WHOLE_REFRESH_TOKEN}\n`)).toBeUndefined();
  });

  it.each([
    ['empty', '', /empty/],
    ['blank', '   \n', /empty/],
    [
      'shortened with three dots',
      `${WHOLE_REFRESH_TOKEN.slice(0, 60)}...${WHOLE_REFRESH_TOKEN.slice(-20)}`,
      /"\.\.\."/,
    ],
    ['shortened with an ellipsis', `${WHOLE_REFRESH_TOKEN.slice(0, 150)}…`, /"\.\.\."/],
    [
      'wrapped over lines',
      `${WHOLE_REFRESH_TOKEN.slice(0, 100)}\n${WHOLE_REFRESH_TOKEN.slice(100)}`,
      /line breaks/,
    ],
    [
      'with a space inside',
      `${WHOLE_REFRESH_TOKEN.slice(0, 100)} ${WHOLE_REFRESH_TOKEN.slice(100)}`,
      /spaces/,
    ],
    ['99 characters', WHOLE_REFRESH_TOKEN.slice(0, 99), /only 99 characters/],
  ])('refuses a token that is %s and says where the whole one is', (_case, token, reason) => {
    const problem = refreshTokenProblem(token);
    expect(problem).toMatch(reason);
    expect(problem).toContain('kiro-auth-token.json');
  });

  it('accepts exactly 100 characters', () => {
    expect(refreshTokenProblem(WHOLE_REFRESH_TOKEN.slice(0, 100))).toBeUndefined();
  });
});

describe('API key check', () => {
  it('accepts a whole ksk_ key', () => {
    expect(apiKeyProblem(WHOLE_API_KEY)).toBeUndefined();
    expect(apiKeyProblem(` ${WHOLE_API_KEY} `)).toBeUndefined();
  });

  it.each([
    ['empty', '', /empty/],
    ['not a Kiro key', WHOLE_REFRESH_TOKEN, /start with "ksk_"/],
    ['shortened', `${WHOLE_API_KEY.slice(0, 12)}...`, /"\.\.\."/],
    ['cut short', WHOLE_API_KEY.slice(0, 20), /too short/],
    ['broken by a space', `${WHOLE_API_KEY.slice(0, 12)} ${WHOLE_API_KEY.slice(12)}`, /spaces/],
  ])('refuses a key that is %s', (_case, key, reason) => {
    const problem = apiKeyProblem(key);
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/create a new key/);
  });
});
