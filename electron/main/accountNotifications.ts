/**
 * Which account changes deserve a desktop notification: an account that now needs a new login, or that ran out
 * of credits. Only the transition into such a state notifies; a repeat of the same state (a new reason, another
 * failed refresh) stays quiet until the account has recovered in between. Plain Node: no Electron here.
 */
import type { AccountPool, AccountState, PoolEvent } from '../core/index.ts';
import { translateCoreMessage } from '../../shared/coreMessages.ts';
import { desktopTexts, type DesktopLanguage } from './trayTexts.ts';

export interface DesktopNotice {
  title: string;
  body: string;
}

export function noticeForTransition(
  label: string,
  from: AccountState,
  to: AccountState,
  language: DesktopLanguage = 'en',
): DesktopNotice | undefined {
  if (from.kind === to.kind) return undefined;
  const text = desktopTexts(language);
  if (to.kind === 'needs_relogin') {
    const why = [to.reason, to.howToFix].map((part) => translateCoreMessage(part, language));
    return { title: text.noticeRelogin(label), body: why.join(' ').trim() };
  }
  if (to.kind === 'exhausted')
    return { title: text.noticeExhausted(label), body: text.noticeExhaustedBody(formatUtc(to.until)) };
  return undefined;
}

/** Notifies on each qualifying pool transition; returns the unsubscribe function. */
export function followAccountNotifications(
  pool: Pick<AccountPool, 'onEvent' | 'get'>,
  notify: (notice: DesktopNotice) => void,
  language: () => DesktopLanguage = () => 'en',
): () => void {
  return pool.onEvent((event: PoolEvent) => {
    if (event.type !== 'state') return;
    const label = pool.get(event.accountId)?.record.label ?? event.accountId;
    const notice = noticeForTransition(label, event.from, event.to, language());
    if (notice) notify(notice);
  });
}

/** Notification text for a port another program holds, with the ways out. */
export function portInUseNotice(host: string, port: number, settingsFile: string): DesktopNotice {
  return {
    title: `Kiro Dock cannot listen on port ${port}`,
    body:
      `Another program uses ${host}:${port}. Close it and start the proxy from the tray, or choose another ` +
      `port in the dashboard's settings (or listenPort in ${settingsFile}).`,
  };
}

function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
