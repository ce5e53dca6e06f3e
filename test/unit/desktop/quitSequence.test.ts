import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import {
  createQuitSequence,
  SHUTDOWN_DRAIN_MS,
  type QuitSteps,
} from '../../../electron/main/quitSequence.ts';
import { CLIENT_KEY } from '../../integration/proxyHarness.ts';
import { healthAt, startDesktopCore, startStreamingRequest } from './desktopCore.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A running desktop proxy and its quit sequence, wired as the desktop app wires them. */
async function quittable(drainMs: number) {
  const desktop = await startDesktopCore();
  cleanups.push(() => desktop.close());
  await desktop.proxy.startIfRemembered();
  const exit = vi.fn<(code: number) => void>();
  const dispose = vi.fn(() => desktop.harness.core.dispose());
  const flush = vi.fn();
  const quit = createQuitSequence({
    drain: (ms) => desktop.proxy.shutdown(ms),
    dispose,
    flush,
    exit,
    logger: silentLogger(),
    drainMs,
  });
  return { ...desktop, quit, exit, dispose, flush };
}

/** A streamed answer of `chunks` pieces `delayMs` apart, once its headers arrived. */
async function streamingRequest(port: number, chunks: number, delayMs: number) {
  const started = await startStreamingRequest(
    port,
    CLIENT_KEY,
    `[[chunks:${chunks}]][[delay:${delayMs}]] tell me`,
  );
  expect(started.status).toBe(200);
  return started;
}

const preventable = () => ({ preventDefault: vi.fn() });

describe('quit', () => {
  it('lets an answer in flight finish within the bound, then disposes, flushes and exits', async () => {
    const { quit, exit, dispose, flush, port } = await quittable(10_000);
    const { rest: answer } = await streamingRequest(port, 6, 100);
    const event = preventable();
    quit.onBeforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(quit.phase()).toBe('draining');
    expect(await healthAt(port)).toBe('refused');
    expect(exit).not.toHaveBeenCalled();
    expect((await answer).complete).toBe(true);
    await quit.finished();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(dispose.mock.invocationCallOrder[0]).toBeLessThan(exit.mock.invocationCallOrder[0]!);
  });

  it('cuts an answer that outlasts the bound and exits on time', async () => {
    const { quit, exit, port } = await quittable(300);
    const { rest: answer } = await streamingRequest(port, 20, 200);
    const startedAt = performance.now();
    quit.onBeforeQuit(preventable());
    await quit.finished();
    expect(exit).toHaveBeenCalledWith(0);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect((await answer).complete).toBe(false);
  });

  it('a second quit while draining exits at once', async () => {
    const { quit, exit, dispose, port } = await quittable(10_000);
    const { rest: answer } = await streamingRequest(port, 20, 200);
    quit.onBeforeQuit(preventable());
    const second = preventable();
    quit.onBeforeQuit(second);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(dispose).not.toHaveBeenCalled();
    expect(quit.phase()).toBe('exited');
    // A real app.exit ends the process here; the test lets the drain finish and checks nobody exits twice.
    await answer;
    await quit.finished();
    expect(exit).toHaveBeenCalledTimes(1);
  });
});

describe('the session ending (shutdown, restart, log-off)', () => {
  it('drains an answer in flight, delaying the shutdown where the OS allows it, then exits', async () => {
    const { quit, exit, dispose, port } = await quittable(10_000);
    const { rest: answer } = await streamingRequest(port, 6, 100);
    const shutdown = preventable();
    quit.onSystemShutdown(shutdown);
    expect(shutdown.preventDefault).toHaveBeenCalled();
    expect(quit.phase()).toBe('draining');
    expect(await healthAt(port)).toBe('refused');
    expect((await answer).complete).toBe(true);
    await quit.finished();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('waits at most SHUTDOWN_DRAIN_MS, not the ten seconds of a quit', async () => {
    const { quit, exit, port } = await quittable(10_000);
    const { rest: answer } = await streamingRequest(port, 40, 250);
    const startedAt = performance.now();
    quit.onSystemShutdown();
    await quit.finished();
    const waited = performance.now() - startedAt;
    expect(waited).toBeGreaterThanOrEqual(SHUTDOWN_DRAIN_MS - 100);
    expect(waited).toBeLessThan(SHUTDOWN_DRAIN_MS + 2_000);
    expect(exit).toHaveBeenCalledWith(0);
    expect((await answer).complete).toBe(false);
  });

  it("on Windows' session-end disposes and exits at once, and only once", async () => {
    const { quit, exit, dispose, port } = await quittable(10_000);
    const { rest: answer } = await streamingRequest(port, 20, 200);
    quit.onSystemShutdown();
    quit.onSessionEnd();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
    await answer;
    await quit.finished();
    quit.onSessionEnd();
    quit.onBeforeQuit(preventable());
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
  });
});

describe('quit sequence steps', () => {
  const steps = (overrides: Partial<QuitSteps> = {}): QuitSteps => ({
    drain: () => Promise.resolve(),
    dispose: vi.fn(),
    flush: vi.fn(),
    exit: vi.fn(),
    logger: silentLogger(),
    ...overrides,
  });

  it('exits with 1 when a step fails, and still exits', async () => {
    const failing = steps({ drain: () => Promise.reject(new Error('boom')) });
    const quit = createQuitSequence(failing);
    quit.onBeforeQuit(preventable());
    await quit.finished();
    expect(failing.exit).toHaveBeenCalledWith(1);
  });

  it('after exiting, before-quit is left alone', async () => {
    const quit = createQuitSequence(steps());
    quit.onBeforeQuit(preventable());
    await quit.finished();
    const late = preventable();
    quit.onBeforeQuit(late);
    expect(late.preventDefault).not.toHaveBeenCalled();
  });
});
