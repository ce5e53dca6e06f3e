import { describe, expect, it } from 'vitest';
import {
  MAX_ACCOUNT_LINES,
  trayMenuModel,
  type TrayAccountStatus,
  type TrayMenuItem,
  type TrayStatus,
} from '../../../electron/main/trayMenuModel.ts';
import { updateMenuEntry } from '../../../electron/main/updatePolicy.ts';

const healthy: TrayAccountStatus = {
  id: 'a1',
  label: 'work',
  state: 'active',
  quota: { remaining: 1234.4, limit: 2000 },
};

function status(overrides: Partial<TrayStatus> = {}): TrayStatus {
  return {
    listening: { host: '127.0.0.1', port: 8765 },
    requestsToday: 12,
    accounts: [healthy],
    launchAtLogin: false,
    ...overrides,
  };
}

const labels = (items: TrayMenuItem[]) => items.flatMap((item) => ('label' in item ? [item.label] : []));
const action = (items: TrayMenuItem[], name: string) =>
  items.find((item) => (item.kind === 'action' || item.kind === 'checkbox') && item.action === name);

describe('trayMenuModel', () => {
  it('running: status line, stop switch, account quota, copy items enabled', () => {
    const model = trayMenuModel(status());
    expect(model.state).toBe('running');
    expect(model.tooltip).toBe('Kiro Dock — running on port 8765');
    expect(model.items[0]).toEqual({
      kind: 'text',
      label: 'Running on port 8765 · 12 requests today · 1/1 accounts OK',
    });
    expect(action(model.items, 'toggle-proxy')).toMatchObject({ label: 'Stop proxy', enabled: true });
    expect(labels(model.items)).toContain('work — 1,234 of 2,000 credits left');
    expect(action(model.items, 'copy-endpoint')).toMatchObject({ enabled: true });
    expect(action(model.items, 'copy-claude-env')).toMatchObject({ enabled: true });
    expect(model.items.at(-1)).toMatchObject({ kind: 'action', action: 'quit' });
  });

  it("speaks the dashboard's Chinese when told to", () => {
    const model = trayMenuModel(
      status({
        language: 'zh',
        accounts: [healthy, { id: 'a2', label: 'home', state: 'needs_relogin' }],
      }),
    );
    expect(model.tooltip).toBe('Kiro Dock — 部分账号需要处理');
    expect(model.items[0]).toEqual({
      kind: 'text',
      label: '运行于端口 8765 · 今日 12 个请求 · 1/2 个账号可用',
    });
    expect(action(model.items, 'toggle-proxy')).toMatchObject({ label: '停止代理' });
    expect(labels(model.items)).toContain('work — 剩余 1,234 / 2,000 积分');
    expect(labels(model.items)).toContain('home — 需要重新登录');
    expect(action(model.items, 'quit')).toMatchObject({ label: '退出 Kiro Dock' });
    const english = labels(trayMenuModel(status()).items).join(' ');
    expect(labels(model.items).join(' ')).not.toContain(english.split(' · ')[0]);
  });

  it('stopped: start switch, nothing to copy, the dashboard still opens', () => {
    const { listening: _dropped, ...rest } = status();
    const model = trayMenuModel({ ...rest, problem: 'Port 8765 is in use by another program' });
    expect(model.state).toBe('stopped');
    expect(model.items[0]).toMatchObject({ label: 'Proxy stopped · 12 requests today · 1/1 accounts OK' });
    expect(labels(model.items)).toContain('Port 8765 is in use by another program');
    expect(action(model.items, 'toggle-proxy')).toMatchObject({ label: 'Start proxy' });
    expect(action(model.items, 'copy-endpoint')).toMatchObject({ enabled: false });
    expect(action(model.items, 'copy-claude-env')).toMatchObject({ enabled: false });
    expect(action(model.items, 'open-dashboard')).toMatchObject({ enabled: true });
    // Signing in needs the dashboard the proxy serves.
    expect(action(model.items, 'add-account')).toMatchObject({ label: 'Add account…', enabled: false });
    expect(action(trayMenuModel(status()).items, 'add-account')).toMatchObject({ enabled: true });
  });

  it('degraded when an account needs a new login, is suspended or out of credits', () => {
    for (const state of ['needs_relogin', 'suspended', 'exhausted'] as const) {
      const model = trayMenuModel(status({ accounts: [healthy, { id: 'b', label: 'home', state }] }));
      expect(model.state).toBe('degraded');
      expect(model.items[0]).toMatchObject({ label: expect.stringContaining('1/2 accounts OK') });
    }
    const model = trayMenuModel(
      status({ accounts: [healthy, { id: 'b', label: 'home', state: 'needs_relogin' }] }),
    );
    expect(labels(model.items)).toContain('home — needs a new login');
    expect(model.tooltip).toBe('Kiro Dock — some accounts need attention');
  });

  it('a cooldown or a disabled account is not degraded', () => {
    const accounts: TrayAccountStatus[] = [
      healthy,
      { id: 'c', label: 'cool', state: 'cooling_down', quota: { remaining: 5, limit: 50 } },
      { id: 'd', label: 'off', state: 'disabled' },
    ];
    const model = trayMenuModel(status({ accounts }));
    expect(model.state).toBe('running');
    expect(labels(model.items)).toEqual(
      expect.arrayContaining(['cool — cooling down · 5 of 50 credits left', 'off — disabled']),
    );
  });

  it('no accounts: its own state and a hint where to add one', () => {
    const model = trayMenuModel(status({ accounts: [], requestsToday: 1 }));
    expect(model.state).toBe('no-accounts');
    expect(model.items[0]).toMatchObject({
      label: 'Running on port 8765 · 1 request today · 0/0 accounts OK',
    });
    expect(labels(model.items)).toContain('No accounts: add one in the dashboard');
  });

  it('a stopped proxy wins over every account state', () => {
    const { listening: _dropped, ...rest } = status({ accounts: [] });
    expect(trayMenuModel(rest).state).toBe('stopped');
  });

  it('sums up accounts beyond the menu limit in one line', () => {
    const accounts = Array.from({ length: MAX_ACCOUNT_LINES + 3 }, (_, i) => ({
      ...healthy,
      id: `a${i}`,
      label: `acct ${i}`,
    }));
    const lines = labels(trayMenuModel(status({ accounts })).items).filter((label) =>
      label.startsWith('acct'),
    );
    expect(lines).toHaveLength(MAX_ACCOUNT_LINES);
    expect(labels(trayMenuModel(status({ accounts })).items)).toContain('…and 3 more');
  });

  it('launch at login: a checkbox reflecting the OS, disabled where the OS has none', () => {
    expect(
      action(trayMenuModel(status({ launchAtLogin: true })).items, 'toggle-launch-at-login'),
    ).toMatchObject({
      kind: 'checkbox',
      checked: true,
      enabled: true,
    });
    expect(
      action(trayMenuModel(status({ launchAtLogin: undefined })).items, 'toggle-launch-at-login'),
    ).toMatchObject({ checked: false, enabled: false, label: 'Launch at login (not on this system)' });
  });

  it('shows a warning line when secrets cannot be kept', () => {
    const model = trayMenuModel(status({ warning: 'No system keychain' }));
    expect(labels(model.items)).toContain('No system keychain');
  });

  it('updates: the entry from the update policy and the automatic switch, just before Quit', () => {
    expect(action(trayMenuModel(status()).items, 'check-for-updates')).toBeUndefined();
    const ready = updateMenuEntry({ kind: 'ready', version: '1.2.0' });
    const items = trayMenuModel(status({ update: { ...ready, automatic: false } })).items;
    expect(action(items, 'check-for-updates')).toMatchObject({
      label: 'Restart to update to 1.2.0',
      enabled: true,
    });
    expect(action(items, 'toggle-auto-update')).toMatchObject({
      kind: 'checkbox',
      checked: false,
      enabled: true,
    });
    expect(labels(items).slice(-3)).toEqual([
      'Restart to update to 1.2.0',
      'Update automatically',
      'Quit Kiro Dock',
    ]);
    const checking = updateMenuEntry({ kind: 'checking', manual: true });
    expect(
      action(trayMenuModel(status({ update: { ...checking, automatic: true } })).items, 'check-for-updates'),
    ).toMatchObject({ label: 'Checking for updates…', enabled: false });
  });
});
