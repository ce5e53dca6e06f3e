import { describe, expect, it } from 'vitest';
import { translateCoreMessage } from '../../shared/coreMessages.ts';
import type { AccountRecord } from '../../electron/core/accounts/accountModel.ts';
import { rejectedState } from '../../electron/core/accounts/credentialCheck.ts';

describe("the core's English sentences in the dashboard's language", () => {
  it('translates the sentences it knows, keeping their variable parts', () => {
    expect(translateCoreMessage('Kiro rejected the access token even right after a refresh', 'zh')).toBe(
      'Kiro 在刷新后仍然拒绝了访问令牌',
    );
    expect(translateCoreMessage('Kiro throttled this account (ThrottlingException)', 'zh')).toBe(
      'Kiro 对此账号限流（ThrottlingException）',
    );
    expect(translateCoreMessage('450 of 500 credits used', 'zh')).toBe('已用 450 / 500 积分');
    expect(translateCoreMessage('Sign in to Kiro IDE again.', 'zh')).toBe('请重新登录 Kiro IDE。');
  });

  it('leaves English alone, and an unknown sentence as the core wrote it', () => {
    expect(translateCoreMessage('450 of 500 credits used', 'en')).toBe('450 of 500 credits used');
    expect(translateCoreMessage('Something new happened', 'zh')).toBe('Something new happened');
  });

  it('has every way to fix a rejected login in Chinese, whatever the account came from', () => {
    const base: AccountRecord = {
      id: 'acc_1',
      label: 'work',
      source: 'manual',
      authMethod: 'social',
      region: 'us-east-1',
      disabled: false,
      addedAt: 0,
    };
    const records: AccountRecord[] = [
      base,
      { ...base, source: 'kiro-ide' },
      { ...base, source: 'kiro-cli' },
      { ...base, authMethod: 'api_key' },
      { ...base, signIn: { method: 'builder-id' } },
    ];
    for (const record of records) {
      const state = rejectedState(record, 'Kiro refuses this API key (invalid token)');
      if (state.kind !== 'needs_relogin') throw new Error('a rejected login needs a new sign-in');
      expect(translateCoreMessage(state.howToFix ?? '', 'zh')).not.toBe(state.howToFix);
      expect(translateCoreMessage(state.reason, 'zh')).toBe('Kiro 拒绝了此 API key（invalid token）');
    }
  });
});
