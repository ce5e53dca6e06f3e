import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrayAction, TrayStatus } from '../../../electron/main/trayMenuModel.ts';
import { fakeSystem, resetFakeElectron, Tray } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { createTrayController } = await import('../../../electron/main/trayController.ts');
const { resourcesRoot, trayIconPath } = await import('../../../electron/main/trayIcons.ts');
const REPO_RESOURCES = path.join(import.meta.dirname, '..', '..', '..', 'resources');

const running: TrayStatus = {
  listening: { host: '127.0.0.1', port: 8765 },
  requestsToday: 3,
  accounts: [{ id: 'a', label: 'work', state: 'active' }],
  launchAtLogin: false,
};

function setup() {
  let status: TrayStatus = running;
  const reads = vi.fn(() => status);
  const actions = Object.fromEntries(
    (
      [
        'toggle-proxy',
        'copy-endpoint',
        'copy-claude-env',
        'open-dashboard',
        'add-account',
        'toggle-launch-at-login',
        'quit',
      ] as const
    ).map((action) => [action, vi.fn()]),
  ) as Record<TrayAction, ReturnType<typeof vi.fn<() => void>>>;
  const controller = createTrayController({
    iconPath: (state) => trayIconPath('/res', state, 'linux'),
    status: reads,
    actions,
    debounceMs: 100,
  });
  return {
    controller,
    actions,
    reads,
    tray: Tray.created[0]!,
    setStatus: (next: TrayStatus) => (status = next),
  };
}

beforeEach(() => {
  resetFakeElectron();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('tray controller', () => {
  it('renders the model: icon, tooltip and a menu whose clicks run the actions', () => {
    const { tray, actions } = setup();
    expect(tray.images.at(-1)).toBe(path.join('/res', 'tray', 'tray-running.png'));
    expect(tray.tooltip).toBe('Kiro Dock — running on port 8765');
    const items = tray.menu!.items;
    expect(items[0]).toMatchObject({
      label: 'Running on port 8765 · 3 requests today · 1/1 accounts OK',
      enabled: false,
    });
    items.find((item) => item.label === 'Stop proxy')!.click!();
    items.find((item) => item.type === 'checkbox')!.click!();
    expect(actions['toggle-proxy']).toHaveBeenCalledTimes(1);
    expect(actions['toggle-launch-at-login']).toHaveBeenCalledTimes(1);
    expect(items.filter((item) => item.type === 'separator').length).toBeGreaterThan(0);
  });

  it('folds a burst of refreshes into one rebuild and switches the icon with the state', () => {
    const { controller, tray, reads, setStatus } = setup();
    const readsBefore = reads.mock.calls.length;
    const { listening: _stopped, ...stopped } = running;
    setStatus(stopped);
    for (let i = 0; i < 20; i++) controller.refresh();
    expect(reads.mock.calls.length).toBe(readsBefore);
    vi.advanceTimersByTime(100);
    expect(reads.mock.calls.length).toBe(readsBefore + 1);
    expect(tray.images.at(-1)).toBe(path.join('/res', 'tray', 'tray-stopped.png'));
    expect(tray.menu!.items.some((item) => item.label === 'Start proxy')).toBe(true);
  });

  it('destroys the tray and forgets a pending rebuild', () => {
    const { controller, tray, reads } = setup();
    controller.refresh();
    controller.dispose();
    const readsBefore = reads.mock.calls.length;
    vi.advanceTimersByTime(1_000);
    expect(reads.mock.calls.length).toBe(readsBefore);
    expect(tray.destroyed).toBe(true);
  });

  it('ignores rebuilds asked for after dispose, as late core events during quit would', () => {
    const { controller, tray, reads } = setup();
    controller.dispose();
    const readsBefore = reads.mock.calls.length;
    expect(() => {
      controller.refresh();
      vi.advanceTimersByTime(1_000);
      controller.render();
      controller.dispose();
    }).not.toThrow();
    expect(reads.mock.calls.length).toBe(readsBefore);
    expect(tray.menusSet).toBe(1);
  });
});

describe('tray icons', () => {
  it('macOS uses template images, Windows ICOs and Linux coloured PNGs', () => {
    expect(trayIconPath('/r', 'degraded', 'darwin')).toBe(
      path.join('/r', 'tray', 'trayDegradedTemplate.png'),
    );
    expect(trayIconPath('/r', 'no-accounts', 'win32')).toBe(path.join('/r', 'tray', 'tray-no-accounts.ico'));
    expect(trayIconPath('/r', 'stopped', 'linux')).toBe(path.join('/r', 'tray', 'tray-stopped.png'));
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    'on %s shows a real file in every state, a template one on macOS',
    (platform) => {
      fakeSystem.platform = platform;
      let state: TrayStatus = running;
      const controller = createTrayController({
        iconPath: (shown) => trayIconPath(REPO_RESOURCES, shown, platform),
        status: () => state,
        actions: setup().actions,
      });
      const tray = Tray.created.at(-1)!;
      for (const next of [{ ...running, listening: undefined }, { ...running, accounts: [] }, running]) {
        state = next;
        controller.render();
      }
      expect(tray.imageObjects.length).toBe(4);
      for (const image of tray.imageObjects) {
        expect(image.isEmpty()).toBe(false);
        expect(image.isTemplateImage()).toBe(platform === 'darwin');
      }
    },
  );

  it('the stand-in, like Electron, does not take a template image by its colour but by its name', () => {
    fakeSystem.platform = 'darwin';
    const old = path.join(REPO_RESOURCES, 'tray', 'trayTemplate-running.png');
    createTrayController({ iconPath: () => old, status: () => running, actions: setup().actions });
    const image = Tray.created.at(-1)!.imageObjects[0]!;
    expect(image.isTemplateImage()).toBe(false);
    expect(image.isEmpty()).toBe(true);
  });

  it('a left click opens the dashboard where the controller is told to', () => {
    const clicked = vi.fn();
    createTrayController({
      iconPath: () => '/r',
      status: () => running,
      actions: setup().actions,
      onClick: clicked,
    });
    Tray.created.at(-1)!.fire('click');
    expect(clicked).toHaveBeenCalledTimes(1);
  });

  it('resources sit beside the asar when packaged, in the repository otherwise', () => {
    expect(resourcesRoot({ isPackaged: true, getAppPath: () => '/x/app.asar' }, '/x')).toBe('/x');
    expect(resourcesRoot({ isPackaged: false, getAppPath: () => '/repo' }, '/x')).toBe(
      path.join('/repo', 'resources'),
    );
  });
});
