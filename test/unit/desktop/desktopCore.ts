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

/**
 * Starts a streamed Anthropic request through the proxy on `port` and resolves once its headers arrived; `rest`
 * settles with the whole answer (or with what arrived when the connection was cut).
 */
export async function startStreamingRequest(port: number, clientKey: string, prompt: string) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': clientKey },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    }),
  });
  const rest = response.text().then(
    (text) => ({ complete: text.includes('event: message_stop'), text }),
    () => ({ complete: false, text: '' }),
  );
  return { status: response.status, rest };
}
