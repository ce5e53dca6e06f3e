import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FakeElectron from './fakeElectron.ts';
import { app, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));
const showDashboard = vi.fn();
let ready: () => void = () => undefined;
vi.mock('../../../electron/main/desktopApp.ts', () => ({
  startDesktopApp: vi.fn(() => Promise.resolve({ showDashboard })),
}));

const { claimSingleInstance } = await import('../../../electron/main/singleInstance.ts');

beforeEach(() => {
  resetFakeElectron();
  showDashboard.mockClear();
});

/** A fresh copy of the entry and of the fake it sees, as a new process would have. */
async function freshEntry(prepare: (fake: typeof FakeElectron) => void) {
  vi.resetModules();
  // Whatever 'electron' resolves to now (the mock), exactly as the entry will see it.
  const fake = (await import('electron')) as unknown as typeof FakeElectron;
  prepare(fake);
  await import('../../../electron/main/index.ts');
  return fake.app;
}

describe('single instance', () => {
  it('the second instance quits without starting anything', () => {
    app.hasLock = false;
    const onSecond = vi.fn();
    expect(claimSingleInstance(app, onSecond)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('the first instance hears of later launches', () => {
    const onSecond = vi.fn();
    expect(claimSingleInstance(app, onSecond)).toBe(true);
    app.fire('second-instance', ['kiro-dock'], '/');
    expect(onSecond).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('the entry focuses the running dashboard on a second launch, even one that came before ready', async () => {
    const entryApp = await freshEntry((fake) => {
      fake.app.whenReady = () => new Promise<void>((resolve) => (ready = resolve));
    });
    entryApp.fire('second-instance', ['kiro-dock'], '/');
    expect(showDashboard).not.toHaveBeenCalled();
    ready();
    await vi.waitFor(() => expect(showDashboard).toHaveBeenCalledTimes(1));
    entryApp.fire('second-instance', ['kiro-dock'], '/');
    expect(showDashboard).toHaveBeenCalledTimes(2);
  });

  it('the entry of a second instance starts nothing', async () => {
    const whenReady = vi.fn(() => Promise.resolve());
    const entryApp = await freshEntry((fake) => {
      fake.app.hasLock = false;
      fake.app.whenReady = whenReady;
    });
    expect(whenReady).not.toHaveBeenCalled();
    expect(entryApp.quit).toHaveBeenCalled();
  });
});
