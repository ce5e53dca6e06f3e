import { describe, expect, it } from 'vitest';
import { createAccountPool } from '../../../electron/core/accounts/accountPool.ts';
import type { AccountRecord } from '../../../electron/core/accounts/accountModel.ts';
import {
  followAccountNotifications,
  portInUseNotice,
  type DesktopNotice,
} from '../../../electron/main/accountNotifications.ts';
import { createFakeClock, FAKE_CLOCK_START_MS } from '../../support/fakeClock.ts';

function record(id: string, label: string): AccountRecord {
  return {
    id,
    label,
    source: 'manual',
    authMethod: 'social',
    region: 'us-east-1',
    disabled: false,
    addedAt: 0,
  };
}

function setup(language: 'en' | 'zh' = 'en') {
  const clock = createFakeClock();
  const pool = createAccountPool({ clock });
  pool.setAccounts([{ record: record('a', 'work') }, { record: record('b', 'home') }]);
  const notices: DesktopNotice[] = [];
  const stop = followAccountNotifications(
    pool,
    (notice) => notices.push(notice),
    () => language,
  );
  return { pool, notices, stop, clock };
}

const relogin = (reason: string) => ({
  kind: 'needs_relogin' as const,
  reason,
  howToFix: 'Sign in to Kiro again.',
});

describe('account notifications', () => {
  it('tells once when an account needs a new login, not on each repeat', () => {
    const { pool, notices } = setup();
    pool.setState('a', relogin('The refresh token was rejected.'));
    pool.setState('a', relogin('The refresh token was rejected again.'));
    expect(notices).toEqual([
      { title: 'work needs a new login', body: 'The refresh token was rejected. Sign in to Kiro again.' },
    ]);
  });

  it("speaks the dashboard's language, the core's sentences included", () => {
    const { pool, notices } = setup('zh');
    pool.setState('a', {
      kind: 'needs_relogin',
      reason: 'Kiro rejected the access token even right after a refresh',
      howToFix: 'Sign in to Kiro IDE again.',
    });
    expect(notices).toEqual([
      { title: 'work 需要重新登录', body: 'Kiro 在刷新后仍然拒绝了访问令牌 请重新登录 Kiro IDE。' },
    ]);
  });

  it('tells again after the account recovered in between', () => {
    const { pool, notices } = setup();
    pool.setState('a', relogin('first'));
    pool.setState('a', { kind: 'active' });
    pool.setState('a', relogin('second'));
    expect(notices.map((notice) => notice.body)).toEqual([
      'first Sign in to Kiro again.',
      'second Sign in to Kiro again.',
    ]);
  });

  it('tells when an account runs out of credits, with the reset time, once', () => {
    const { pool, notices } = setup();
    const until = FAKE_CLOCK_START_MS + 86_400_000;
    pool.setState('b', { kind: 'exhausted', until, reason: 'monthly limit' });
    pool.setState('b', { kind: 'exhausted', until: until + 1, reason: 'monthly limit' });
    expect(notices).toEqual([
      {
        title: 'home is out of credits',
        body: 'Kiro Dock uses your other accounts until 2026-01-02 00:00 UTC.',
      },
    ]);
  });

  it('stays quiet for states that fix themselves or that the user chose', () => {
    const { pool, notices, clock } = setup();
    pool.setState('a', { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' });
    pool.setState('b', { kind: 'suspended', since: clock.now(), reason: 'suspended' });
    pool.setAccounts([
      { record: { ...record('a', 'work'), disabled: true } },
      { record: record('b', 'home') },
    ]);
    expect(notices).toEqual([]);
  });

  it('stops following when asked', () => {
    const { pool, notices, stop } = setup();
    stop();
    pool.setState('a', relogin('gone'));
    expect(notices).toEqual([]);
  });

  it('a taken port: names the port and says how to change it', () => {
    const notice = portInUseNotice('127.0.0.1', 8765, '/home/u/.config/Kiro Dock/settings.json');
    expect(notice.title).toContain('8765');
    expect(notice.body).toContain('127.0.0.1:8765');
    expect(notice.body).toContain('listenPort in /home/u/.config/Kiro Dock/settings.json');
  });
});
