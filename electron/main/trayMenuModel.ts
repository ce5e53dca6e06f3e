/**
 * What the tray shows, as plain descriptors: the controller renders them with Electron's Menu and never decides
 * anything itself, so every state of the menu is tested without Electron.
 */
import type { AccountStateView } from '../../shared/adminApi.ts';

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
  /** Undefined where the OS offers no login items (Linux). */
  launchAtLogin: boolean | undefined;
}

export type TrayAction =
  | 'toggle-proxy'
  | 'copy-endpoint'
  | 'copy-claude-env'
  | 'open-dashboard'
  | 'add-account'
  | 'toggle-launch-at-login'
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
  const state = trayState(status);
  const running = status.listening !== undefined;
  const items: TrayMenuItem[] = [
    { kind: 'text', label: statusLine(status) },
    ...(status.problem ? [{ kind: 'text', label: status.problem } as const] : []),
    ...(status.warning ? [{ kind: 'text', label: status.warning } as const] : []),
    { kind: 'action', action: 'toggle-proxy', label: running ? 'Stop proxy' : 'Start proxy', enabled: true },
    { kind: 'separator' },
    ...accountLines(status.accounts),
    { kind: 'separator' },
    { kind: 'action', action: 'copy-endpoint', label: 'Copy endpoint URL', enabled: running },
    { kind: 'action', action: 'copy-claude-env', label: 'Copy Claude Code environment', enabled: running },
    { kind: 'action', action: 'open-dashboard', label: 'Open dashboard…', enabled: true },
    // Signing in happens in the dashboard, which the running proxy serves.
    { kind: 'action', action: 'add-account', label: 'Add account…', enabled: running },
    { kind: 'separator' },
    {
      kind: 'checkbox',
      action: 'toggle-launch-at-login',
      label: status.launchAtLogin === undefined ? 'Launch at login (not on this system)' : 'Launch at login',
      checked: status.launchAtLogin === true,
      enabled: status.launchAtLogin !== undefined,
    },
    { kind: 'action', action: 'quit', label: 'Quit Kiro Dock', enabled: true },
  ];
  return { state, tooltip: tooltipOf(state, status), items };
}

function statusLine(status: TrayStatus): string {
  const ok = status.accounts.filter((account) => account.state === 'active').length;
  const where = status.listening ? `Running on port ${status.listening.port}` : 'Proxy stopped';
  const requests = `${status.requestsToday} ${status.requestsToday === 1 ? 'request' : 'requests'} today`;
  return `${where} · ${requests} · ${ok}/${status.accounts.length} accounts OK`;
}

function accountLines(accounts: readonly TrayAccountStatus[]): TrayMenuItem[] {
  if (accounts.length === 0) return [{ kind: 'text', label: 'No accounts: add one in the dashboard' }];
  const shown = accounts.slice(0, MAX_ACCOUNT_LINES).map((account): TrayMenuItem => ({
    kind: 'text',
    label: `${account.label} — ${accountDetail(account)}`,
  }));
  const hidden = accounts.length - shown.length;
  return hidden > 0 ? [...shown, { kind: 'text', label: `…and ${hidden} more` }] : shown;
}

function accountDetail(account: TrayAccountStatus): string {
  switch (account.state) {
    case 'needs_relogin':
      return 'needs a new login';
    case 'suspended':
      return 'suspended';
    case 'disabled':
      return 'disabled';
    case 'exhausted':
      return 'out of credits';
    case 'cooling_down':
      return `cooling down${quotaText(account)}`;
    case 'active':
      return account.quota ? quotaText(account).slice(3) : 'ready';
  }
}

function quotaText(account: TrayAccountStatus): string {
  if (!account.quota) return '';
  return ` · ${formatCredits(account.quota.remaining)} of ${formatCredits(account.quota.limit)} credits left`;
}

function formatCredits(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function tooltipOf(state: TrayState, status: TrayStatus): string {
  switch (state) {
    case 'stopped':
      return 'Kiro Dock — proxy stopped';
    case 'no-accounts':
      return 'Kiro Dock — no accounts';
    case 'degraded':
      return 'Kiro Dock — some accounts need attention';
    case 'running':
      return `Kiro Dock — running on port ${status.listening?.port ?? ''}`;
  }
}
