import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type AppMenuItem } from '../../../electron/main/appMenu.ts';

const roles = (items: AppMenuItem[]): string[] =>
  items.flatMap((item) => [
    ...('role' in item && item.role ? [item.role] : []),
    ...('submenu' in item ? roles(item.submenu) : []),
  ]);

describe('application menu', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    'on %s keeps the Edit roles and offers no developer tools',
    (os) => {
      const used = roles(appMenuTemplate(os));
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) expect(used).toContain(role);
      for (const role of ['toggleDevTools', 'reload', 'forceReload', 'viewMenu'])
        expect(used).not.toContain(role);
    },
  );

  it('on macOS has the app menu with About, Hide and Quit under the product name', () => {
    const [appMenu] = appMenuTemplate('darwin');
    expect(appMenu).toMatchObject({ label: 'Kiro Dock' });
    expect(roles([appMenu!])).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
  });

  it('elsewhere is the Edit menu alone (the window hides its menu bar)', () => {
    expect(appMenuTemplate('win32').map((item) => ('label' in item ? item.label : undefined))).toEqual([
      'Edit',
    ]);
  });
});
