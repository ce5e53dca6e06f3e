/**
 * A small stand-in for the parts of Electron the main process and the preload use, for
 * `vi.mock('electron', () => import('./fakeElectron.ts'))`. It records what the code asked for (window options,
 * session guards, menus, notifications, IPC handlers) so tests can assert on it and drive events.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { vi, type Mock } from 'vitest';

/** The OS this stand-in behaves as (Electron's rules differ per OS); resetFakeElectron sets it back to Linux. */
export const fakeSystem = { platform: 'linux' as NodeJS.Platform };

class FakeEmitter extends EventEmitter {
  /** Emits like Electron: the first argument is an event whose preventDefault is recorded. */
  fire(name: string, ...args: unknown[]): { defaultPrevented: boolean } {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        event.defaultPrevented = true;
      },
    };
    this.emit(name, event, ...args);
    return event;
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeSession {
  beforeRequest: ((details: { url: string }, callback: (response: object) => void) => void) | undefined;
  headersReceived:
    | ((
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  permissionRequest:
    | ((
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: { requestingUrl?: string },
      ) => void)
    | undefined;
  permissionCheck: ((...args: unknown[]) => boolean) | undefined;
  readonly webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => void (this.beforeRequest = listener),
    onHeadersReceived: (listener: FakeSession['headersReceived']) => void (this.headersReceived = listener),
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
    this.permissionCheck = handler;
  }
}

export class BrowserWindow extends FakeEmitter {
  static created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** What a click on the window's close button does. */
  close(): void {
    if (this.fire('close').defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

const sessions = new Map<string, FakeSession>();
export const session = {
  fromPartition(partition: string): FakeSession {
    const existing = sessions.get(partition) ?? new FakeSession();
    sessions.set(partition, existing);
    return existing;
  },
};

/**
 * Like Electron's: a file that does not exist gives an empty image (no error), and on macOS only a file whose
 * base name ends in "Template" (before an @2x suffix) is a template image, which the menu bar tints.
 */
export class FakeNativeImage {
  private template: boolean;
  constructor(readonly path: string) {
    this.template =
      fakeSystem.platform === 'darwin' && /Template(@\d+(\.\d+)?x)?\.(png|jpe?g)$/.test(pathBase(path));
  }
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
  isTemplateImage(): boolean {
    return this.template;
  }
  setTemplateImage(template: boolean): void {
    this.template = template;
  }
}

const pathBase = (file: string) => path.basename(file);

export class Tray extends FakeEmitter {
  static created: Tray[] = [];
  images: string[] = [];
  /** The image objects as given, to ask whether each one is empty or a template. */
  imageObjects: FakeNativeImage[] = [];
  tooltip = '';
  menu: FakeMenu | undefined;
  /** Menus set so far: a rebuild is one more. */
  menusSet = 0;
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    this.images.push(image.path);
    this.imageObjects.push(image);
    Tray.created.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.alive();
    this.images.push(image.path);
    this.imageObjects.push(image);
  }
  setToolTip(tooltip: string): void {
    this.alive();
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.alive();
    this.menu = menu;
    this.menusSet += 1;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Electron throws once a tray is destroyed; so does this fake, so a late rebuild fails the test. */
  private alive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
}

export interface FakeMenu {
  items: Array<{ label?: string; type?: string; enabled?: boolean; checked?: boolean; click?: () => void }>;
}

export const Menu = {
  buildFromTemplate: (items: FakeMenu['items']): FakeMenu => ({ items }),
  /** The application menu set last; null means none (Electron then shows no menu bar at all). */
  application: undefined as FakeMenu | null | undefined,
  setApplicationMenu(menu: FakeMenu | null): void {
    Menu.application = menu;
  },
};

export const nativeImage = { createFromPath: (file: string) => new FakeNativeImage(file) };

/** Electron 45's clipboard answers with a promise. */
export const clipboard = { writeText: vi.fn<(text: string) => Promise<void>>(() => Promise.resolve()) };

export const shell = { openExternal: vi.fn<(url: string) => Promise<void>>(() => Promise.resolve()) };

export class Notification {
  static shown: Array<{ title: string; body: string }> = [];
  static supported = true;
  static isSupported = () => Notification.supported;
  constructor(readonly options: { title: string; body: string }) {}
  show(): void {
    Notification.shown.push(this.options);
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, Handler>(),
  /** Generic so that code typed against Electron's IpcMain accepts it; tests call handlers with fake events. */
  handle<Event>(channel: string, handler: (event: Event, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} exists already`);
    this.handlers.set(channel, handler as Handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

/**
 * The page's side of a sandboxed preload, with Electron's rules: a key is exposed once; what crosses to the page
 * is copied (functions stay callable, everything else is structured-cloned, so a class instance or a Node
 * object would not survive); `exposed` is what the page sees on `window`.
 */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn<(name: string, api: unknown) => void>((name, api) => {
    if (contextBridge.exposed.has(name))
      throw new Error(`Cannot bind an API on top of an existing property on the window object: ${name}`);
    contextBridge.exposed.set(name, copyForPage(api));
  }),
};

function copyForPage(value: unknown): unknown {
  if (typeof value === 'function') return value;
  if (value === null || typeof value !== 'object') return structuredClone(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyForPage(item)]));
}

/**
 * invoke goes to the handler ipcMain registered for the channel, as in Electron: the arguments and the answer
 * are structured-cloned, the event names the frame that asked (`ipcRenderer.frame`), a missing handler or a
 * thrown error rejects with Electron's wording.
 */
interface SenderFrame {
  url: string;
  parent: unknown;
}
export const ipcRenderer: {
  frame: SenderFrame;
  invoke: Mock<(channel: string, ...args: unknown[]) => Promise<unknown>>;
} = {
  frame: { url: 'http://127.0.0.1:8765/dashboard/', parent: null },
  invoke: vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler)
      throw new Error(
        `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
      );
    try {
      return structuredClone(await handler({ senderFrame: ipcRenderer.frame }, ...structuredClone(args)));
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }),
};

class FakeApp extends FakeEmitter {
  isPackaged = false;
  /** Tests start the desktop app as Electron's whenReady would: after the ready event. */
  ready = true;
  hasLock = true;
  loginItem = { openAtLogin: false };
  readonly quit = vi.fn();
  readonly exit = vi.fn<(code?: number) => void>();
  /** app.getPath answers; names not set here answer `/fake/<name>`. */
  paths: Record<string, string> = {};
  appPath = '/app';
  readonly setAppUserModelId = vi.fn<(id: string) => void>();
  requestSingleInstanceLock = () => this.hasLock;
  whenReady = () => new Promise<void>(() => undefined);
  getAppPath = () => this.appPath;
  getPath = (name: string) => this.paths[name] ?? `/fake/${name}`;
  setPath = (name: string, value: string) => void (this.paths[name] = value);
  getVersion = () => '0.0.0-test';
  isReady = () => this.ready;
  getLoginItemSettings = () => ({ ...this.loginItem });
  setLoginItemSettings = vi.fn((settings: { openAtLogin?: boolean }) => {
    this.loginItem.openAtLogin = settings.openAtLogin ?? false;
  });
}

export const app = new FakeApp();

/** Electron refuses powerMonitor before the app is ready; so does this one. */
class FakePowerMonitor extends FakeEmitter {
  override on(name: string, listener: (...args: unknown[]) => void): this {
    if (!app.ready) throw new Error('powerMonitor cannot be used before the app is ready');
    return super.on(name, listener);
  }
}

export const powerMonitor = new FakePowerMonitor();

/** Forgets everything recorded; call in beforeEach. */
export function resetFakeElectron(): void {
  BrowserWindow.created = [];
  Tray.created = [];
  Notification.shown = [];
  Notification.supported = true;
  Menu.application = undefined;
  fakeSystem.platform = 'linux';
  sessions.clear();
  ipcMain.handlers.clear();
  clipboard.writeText.mockClear();
  shell.openExternal.mockClear();
  contextBridge.exposeInMainWorld.mockClear();
  contextBridge.exposed.clear();
  ipcRenderer.invoke.mockClear();
  ipcRenderer.frame = { url: 'http://127.0.0.1:8765/dashboard/', parent: null };
  app.removeAllListeners();
  powerMonitor.removeAllListeners();
  app.ready = true;
  app.quit.mockClear();
  app.exit.mockClear();
  app.setLoginItemSettings.mockClear();
  app.hasLock = true;
  app.paths = {};
  app.appPath = '/app';
  app.setAppUserModelId.mockClear();
  app.loginItem = { openAtLogin: false };
}

export default {
  app,
  BrowserWindow,
  session,
  Tray,
  Menu,
  nativeImage,
  clipboard,
  shell,
  Notification,
  ipcMain,
  powerMonitor,
};
