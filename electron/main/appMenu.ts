/**
 * The application menu. Electron's default one has a View menu with Reload and Toggle Developer Tools, which a
 * locked-down dashboard must not offer. This one keeps what users need: on macOS the app menu (About, Hide,
 * Quit) and the Edit menu, without which copy, paste and undo shortcuts do not reach text fields there; elsewhere
 * the same Edit menu, hidden with the window's menu bar. Plain Node: descriptors Electron's Menu accepts.
 */

export type AppMenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'minimize'
  | 'close'
  | 'editMenu'
  | 'windowMenu';

export type AppMenuItem =
  | { role: AppMenuRole; label?: string }
  | { type: 'separator' }
  | { label: string; role?: 'editMenu' | 'windowMenu' | 'appMenu'; submenu: AppMenuItem[] };

const EDIT_ITEMS: AppMenuItem[] = [
  { role: 'undo' },
  { role: 'redo' },
  { type: 'separator' },
  { role: 'cut' },
  { role: 'copy' },
  { role: 'paste' },
  { role: 'pasteAndMatchStyle' },
  { role: 'delete' },
  { type: 'separator' },
  { role: 'selectAll' },
];

export function appMenuTemplate(platform: NodeJS.Platform, productName = 'Kiro Dock'): AppMenuItem[] {
  const edit: AppMenuItem = { label: 'Edit', role: 'editMenu', submenu: EDIT_ITEMS };
  if (platform !== 'darwin') return [edit];
  return [
    {
      label: productName,
      role: 'appMenu',
      submenu: [
        { role: 'about', label: `About ${productName}` },
        { type: 'separator' },
        { role: 'hide', label: `Hide ${productName}` },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit', label: `Quit ${productName}` },
      ],
    },
    edit,
    { label: 'Window', role: 'windowMenu', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
