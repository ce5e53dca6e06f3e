/**
 * Starts and stops the proxy's listener while the core keeps running (accounts keep refreshing, the tray keeps
 * its figures). Whether the proxy was on is remembered, so the next start does what the user last chose.
 * Plain Node: tested with a real core.
 */
import { storedListen, type Core } from '../core/index.ts';
import type { Logger, SettingsStore } from '../core/ports.ts';
import { bindProxy, PortInUseError, unbindProxy, type BoundProxy } from '../hostCore.ts';

/** true (the default) or false: whether the desktop app starts the proxy when it starts. */
export const SETTING_PROXY_ENABLED = 'desktopProxyEnabled';

/** How long stopping waits for answers in flight before cutting them. */
export const STOP_DRAIN_MS = 10_000;

export interface ProxyControllerOptions {
  core: Core;
  settings: SettingsStore;
  logger: Logger;
  /** Told when the port is taken, once per failed start. */
  onPortInUse?(error: PortInUseError): void;
}

export interface ProxyController {
  /** Listening now (host and bound port), or undefined. */
  listening(): { host: string; port: number } | undefined;
  /** Why the last start failed, until the next start or stop. */
  problem(): string | undefined;
  /** Starts the proxy if the user left it on (the default). */
  startIfRemembered(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  toggle(): Promise<void>;
  /** Stops for quitting: drains for up to `drainMs` and leaves the remembered choice alone. */
  shutdown(drainMs: number): Promise<void>;
  onChange(listener: () => void): () => void;
}

export function createProxyController(options: ProxyControllerOptions): ProxyController {
  const { core, settings, logger } = options;
  const listeners = new Set<() => void>();
  let proxy: BoundProxy | undefined;
  let problem: string | undefined;
  // Start and stop run one after the other, so a double click cannot bind twice or unbind a half-bound proxy.
  let queue: Promise<void> = Promise.resolve();

  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const serialized = (step: () => Promise<void>): Promise<void> => {
    queue = queue.then(step, step);
    return queue;
  };

  async function bind(): Promise<void> {
    if (proxy) return;
    const address = storedListen(settings);
    try {
      proxy = await bindProxy(core, address);
      problem = undefined;
      logger.info({ ...proxy.bound }, 'proxy listening');
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      problem = `Port ${error.port} is in use by another program`;
      logger.warn({ host: error.host, port: error.port }, 'proxy port in use');
      options.onPortInUse?.(error);
    } finally {
      changed();
    }
  }

  async function unbind(drainMs: number): Promise<void> {
    const current = proxy;
    proxy = undefined;
    problem = undefined;
    if (current) await unbindProxy(core, current, drainMs);
    changed();
  }

  /** The user's choice: remembered even when the port turns out to be taken, so the next start tries again. */
  function switchTo(enabled: boolean): Promise<void> {
    settings.set(SETTING_PROXY_ENABLED, enabled);
    return enabled ? bind() : unbind(STOP_DRAIN_MS);
  }

  return {
    listening: () => proxy && { ...proxy.bound },
    problem: () => problem,
    startIfRemembered: () =>
      settings.get<unknown>(SETTING_PROXY_ENABLED) === false ? Promise.resolve() : serialized(bind),
    start: () => serialized(() => switchTo(true)),
    stop: () => serialized(() => switchTo(false)),
    toggle: () => serialized(() => switchTo(proxy === undefined)),
    shutdown: (drainMs) => serialized(() => unbind(drainMs)),
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
