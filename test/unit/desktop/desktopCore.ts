/** A real core in front of the Kiro emulator, with a free port stored as the proxy's listen port. */
import net from 'node:net';
import { SETTING_LISTEN_PORT } from '../../../electron/core/index.ts';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import { createMemorySettingsStore } from '../../../electron/core/settings/memorySettingsStore.ts';
import {
  createProxyController,
  type ProxyControllerOptions,
} from '../../../electron/main/proxyController.ts';
import { startProxyHarness, type HarnessOptions } from '../../integration/proxyHarness.ts';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startDesktopCore(
  options: {
    stored?: Record<string, unknown>;
    harness?: HarnessOptions;
  } & Partial<ProxyControllerOptions> = {},
) {
  const port = await freePort();
  const settings = createMemorySettingsStore({ [SETTING_LISTEN_PORT]: port, ...options.stored });
  const harness = await startProxyHarness({ ...options.harness, settings });
  // The harness binds its own listener for other tests; the desktop's listener is the one under test here.
  await harness.server.close(0);
  harness.core.setListening(undefined);
  const proxy = createProxyController({
    core: harness.core,
    settings,
    logger: silentLogger(),
    onPortInUse: options.onPortInUse,
  });
  return {
    port,
    settings,
    harness,
    proxy,
    async close() {
      await proxy.shutdown(0);
      harness.core.dispose();
      await harness.emulator.close();
    },
  };
}

/** The proxy's /health status, or 'refused' when nothing listens. */
export async function healthAt(port: number): Promise<number | 'refused'> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return 'refused';
  }
}
