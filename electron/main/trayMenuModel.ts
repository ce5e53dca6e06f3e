/**
 * What the tray shows, as plain descriptors: the controller renders them with Electron's Menu and never decides
 * anything itself, so every state of the menu is tested without Electron.
 */
import type { AccountStateView } from '../../shared/adminApi.ts';
import { desktopTexts, type DesktopLanguage, type DesktopTexts } from './trayTexts.ts';

export type TrayState = 'running' | 'stopped' | 'degraded' | 'no-accounts';

export interface TrayAccountStatus {
  id: string;
  label: string;
  state: AccountStateView['kind'];
  /** Credits left and the total, when a quota reading exists. */
  quota?: { remaining: number; limit: number };
}

export interface TrayStatus {
  /** Where the proxy listens now; undefined when it is stopped. */
  listening?: { host: string; port: number };
  /** Why the proxy is not listening although it should (a taken port…). */
  problem?: string;
  /** Something the user must know that is not the proxy's state (no keychain…). */
  warning?: string;
  requestsToday: number;
  accounts: TrayAccountStatus[];
  /** Undefined where the OS offers no login items. */
  launchAtLogin: boolean | undefined;
  /** The update entry (updatePolicy.ts) and the automatic-updates setting; absent: no update items. */
  update?: { label: string; enabled: boolean; automatic: boolean };
  /** The dashboard's language, which the menu follows; English when absent. */
  language?: DesktopLanguage;
}

export type TrayAction =
  | 'toggle-proxy'
  | 'copy-endpoint'
  | 'copy-claude-env'
  | 'open-dashboard'
  | 'add-account'
  | 'toggle-launch-at-login'
  | 'check-for-updates'
  | 'toggle-auto-update'
  | 'quit';

export type TrayMenuItem =
  | { kind: 'text'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'checkbox'; action: TrayAction; label: string; checked: boolean; enabled: boolean };

export interface TrayMenuModel {
  state: TrayState;
  tooltip: string;
  items: TrayMenuItem[];
}

/** More accounts than this are summed up in one line, so the menu stays shorter than the screen. */
export const MAX_ACCOUNT_LINES = 8;

/** States that stay until the user acts (signs in again, contacts support) or the quota resets. */
const NEEDS_ATTENTION: ReadonlySet<AccountStateView['kind']> = new Set([
  'needs_relogin',
  'suspended',
  'exhausted',
]);

export function trayState(status: TrayStatus): TrayState {
  if (!status.listening) return 'stopped';
  if (status.accounts.length === 0) return 'no-accounts';
  return status.accounts.some((account) => NEEDS_ATTENTION.has(account.state)) ? 'degraded' : 'running';
}

export function trayMenuModel(status: TrayStatus): TrayMenuModel {
  const text = desktopTexts(status.language);
  const state = trayState(status);
  const running = status.listening !== undefined;
  const items: TrayMenuItem[] = [
    { kind: 'text', label: statusLine(status, text) },
    ...(status.problem ? [{ kind: 'text', label: status.problem } as const] : []),
    ...(status.warning ? [{ kind: 'text', label: status.warning } as const] : []),
    {
      kind: 'action',
      action: 'toggle-proxy',
      label: running ? text.stopProxy : text.startProxy,
      enabled: true,
    },
    { kind: 'separator' },
    ...accountLines(status.accounts, text),
    { kind: 'separator' },
    { kind: 'action', action: 'copy-endpoint', label: text.copyEndpoint, enabled: running },
    { kind: 'action', action: 'copy-claude-env', label: text.copyClaudeEnv, enabled: running },
    { kind: 'action', action: 'open-dashboard', label: text.openDashboard, enabled: true },
    // Signing in happens in the dashboard, which the running proxy serves.
    { kind: 'action', action: 'add-account', label: text.addAccount, enabled: running },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      action: 'toggle-launch-at-login',
      label: status.launchAtLogin === undefined ? text.launchAtLoginUnsupported : text.launchAtLogin,
      checked: status.launchAtLogin === true,
      enabled: status.launchAtLogin !== undefined,
    },
    ...updateItems(status.update, text),
    { kind: 'action', action: 'quit', label: text.quit, enabled: true },
  ];
  return { state, tooltip: tooltipOf(state, status, text), items };
}

function updateItems(update: TrayStatus['update'], text: DesktopTexts): TrayMenuItem[] {
  if (!update) return [];
  return [
    { kind: 'action', action: 'check-for-updates', label: update.label, enabled: update.enabled },
    {
      kind: 'checkbox',
      action: 'toggle-auto-update',
      label: text.updateAutomatically,
      checked: update.automatic,
      enabled: true,
    },
  ];
}

function statusLine(status: TrayStatus, text: DesktopTexts): string {
  const ok = status.accounts.filter((account) => account.state === 'active').length;
  const where = status.listening ? text.runningOn(status.listening.port) : text.stopped;
  return `${where} · ${text.requestsToday(status.requestsToday)} · ${text.accountsOk(ok, status.accounts.length)}`;
}

function accountLines(accounts: readonly TrayAccountStatus[], text: DesktopTexts): TrayMenuItem[] {
  if (accounts.length === 0) return [{ kind: 'text', label: text.noAccounts }];
  const shown = accounts.slice(0, MAX_ACCOUNT_LINES).map((account): TrayMenuItem => ({
    kind: 'text',
    label: `${account.label} — ${accountDetail(account, text)}`,
  }));
  const hidden = accounts.length - shown.length;
  return hidden > 0 ? [...shown, { kind: 'text', label: text.more(hidden) }] : shown;
}

function accountDetail(account: TrayAccountStatus, text: DesktopTexts): string {
  switch (account.state) {
    case 'needs_relogin':
      return text.needsRelogin;
    case 'suspended':
      return text.suspended;
    case 'disabled':
      return text.disabled;
    case 'exhausted':
      return text.exhausted;
    case 'cooling_down':
      return account.quota ? `${text.coolingDown} · ${quotaText(account, text)}` : text.coolingDown;
    case 'active':
      return account.quota ? quotaText(account, text) : text.ready;
  }
}

function quotaText(account: TrayAccountStatus, text: DesktopTexts): string {
  if (!account.quota) return '';
  return text.creditsLeft(formatCredits(account.quota.remaining), formatCredits(account.quota.limit));
}

function formatCredits(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function tooltipOf(state: TrayState, status: TrayStatus, text: DesktopTexts): string {
  switch (state) {
    case 'stopped':
      return text.tooltipStopped;
    case 'no-accounts':
      return text.tooltipNoAccounts;
    case 'degraded':
      return text.tooltipDegraded;
    case 'running':
      return text.tooltipRunning(String(status.listening?.port ?? ''));
  }
}
