import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTING_PROXY_ENABLED } from '../../../electron/main/proxyController.ts';
import { readTrayStatus } from '../../../electron/main/trayStatus.ts';
import { CLIENT_KEY, postJson } from '../../integration/proxyHarness.ts';
import { healthAt, startDesktopCore } from './desktopCore.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function started(options: Parameters<typeof startDesktopCore>[0] = {}) {
  const desktop = await startDesktopCore(options);
  cleanups.push(() => desktop.close());
  return desktop;
}

describe('proxy on/off', () => {
  it('starts by default, on the stored port, and tells the core where it listens', async () => {
    const { proxy, port, harness } = await started();
    await proxy.startIfRemembered();
    expect(proxy.listening()).toEqual({ host: '127.0.0.1', port });
    expect(harness.core.settings.listening()).toEqual({ host: '127.0.0.1', port });
    expect(await healthAt(port)).toBe(200);
  });

  it('the toggle stops listening and starts again, remembering each choice', async () => {
    const { proxy, port, settings, harness } = await started();
    const changes = vi.fn();
    proxy.onChange(changes);
    await proxy.startIfRemembered();
    await proxy.toggle();
    expect(proxy.listening()).toBeUndefined();
    expect(harness.core.settings.listening()).toBeUndefined();
    expect(await healthAt(port)).toBe('refused');
    expect(settings.get(SETTING_PROXY_ENABLED)).toBe(false);
    await proxy.toggle();
    expect(await healthAt(port)).toBe(200);
    expect(settings.get(SETTING_PROXY_ENABLED)).toBe(true);
    expect(changes).toHaveBeenCalledTimes(3);
  });

  it('stays off at start when the user left it off', async () => {
    const { proxy, port } = await started({ stored: { [SETTING_PROXY_ENABLED]: false } });
    await proxy.startIfRemembered();
    expect(proxy.listening()).toBeUndefined();
    expect(await healthAt(port)).toBe('refused');
  });

  it('a taken port is reported, not thrown; the next start after it freed up works', async () => {
    const onPortInUse = vi.fn();
    const { proxy, port } = await started({ onPortInUse });
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    await proxy.startIfRemembered();
    expect(proxy.listening()).toBeUndefined();
    expect(proxy.problem()).toBe(`Port ${port} is in use by another program`);
    expect(onPortInUse).toHaveBeenCalledWith(expect.objectContaining({ host: '127.0.0.1', port }));
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await proxy.start();
    expect(proxy.problem()).toBeUndefined();
    expect(await healthAt(port)).toBe(200);
  });

  it('two quick toggles end in the state the second asked for, without binding twice', async () => {
    const { proxy, port } = await started();
    await Promise.all([proxy.start(), proxy.start(), proxy.toggle()]);
    expect(proxy.listening()).toBeUndefined();
    expect(await healthAt(port)).toBe('refused');
  });

  it('the tray status reads the real core: listening port, accounts and requests today', async () => {
    const { proxy, port, harness } = await started();
    await proxy.startIfRemembered();
    const answer = await postJson(
      `http://127.0.0.1:${port}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
      { 'x-api-key': CLIENT_KEY },
    );
    expect(answer.status).toBe(200);
    const status = readTrayStatus({
      core: harness.core,
      problem: () => proxy.problem(),
      warning: () => undefined,
      launchAtLogin: () => undefined,
      now: () => Date.now(),
    });
    expect(status.listening).toEqual({ host: '127.0.0.1', port });
    expect(status.requestsToday).toBe(1);
    expect(status.accounts).toEqual([expect.objectContaining({ state: 'active' })]);
  });
});
