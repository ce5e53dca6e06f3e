/**
 * The daemon client against the real CLI and the Kiro emulator: one daemon kept alive, a killed one restarted
 * after its backoff (on a fake clock, so the test decides when), one-shot `kiro-dock chat` answering meanwhile
 * and taking over a request the daemon died with, and a daemon that stops answering pings replaced.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDaemonClient,
  KiroDockError,
  type DaemonClientEvent,
  type DaemonClientOptions,
} from '../../electron/daemonClient/daemonClient.ts';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';
import { assistantCalls, CLI_COMMAND, startCliFixture, type CliFixture } from './kiroDockCli.ts';

let fixture: CliFixture;

beforeAll(async () => {
  fixture = await startCliFixture();
});
afterAll(async () => {
  await fixture.close();
});

/** The client's events as they happen, and a way to wait for the next one of a kind. */
function eventLog() {
  const events: DaemonClientEvent[] = [];
  const waiting = new Set<{ type: string; from: number; resolve(event: DaemonClientEvent): void }>();
  const onEvent = (event: DaemonClientEvent) => {
    events.push(event);
    for (const waiter of [...waiting]) {
      if (waiter.type !== event.type || events.length <= waiter.from) continue;
      waiting.delete(waiter);
      waiter.resolve(event);
    }
  };
  /** The first event of `type` after the `from`-th event (default: after every event seen so far). */
  const next = <T extends DaemonClientEvent['type']>(type: T, from = events.length) => {
    const seen = events.slice(from).find((event) => event.type === type);
    if (seen) return Promise.resolve(seen as Extract<DaemonClientEvent, { type: T }>);
    return new Promise<Extract<DaemonClientEvent, { type: T }>>((resolve) =>
      waiting.add({ type, from, resolve: resolve as (event: DaemonClientEvent) => void }),
    );
  };
  const count = (type: DaemonClientEvent['type']) => events.filter((event) => event.type === type).length;
  return { events, onEvent, next, count };
}

function startClient(clock: FakeClock, log: ReturnType<typeof eventLog>, options: DaemonClientOptions = {}) {
  return createDaemonClient({
    ...CLI_COMMAND,
    flags: fixture.flags,
    env: fixture.env,
    clock,
    restartBackoff: { initialMs: 1_000, maxMs: 8_000 },
    pingIntervalMs: 10_000,
    pingTimeoutMs: 2_000,
    onEvent: log.onEvent,
    ...options,
  });
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const seen: string[] = [];
  for await (const chunk of chunks) seen.push(chunk);
  return seen;
}

describe('daemon client', () => {
  it('restarts a killed daemon after its backoff, answering through kiro-dock chat meanwhile', async () => {
    const clock = createFakeClock();
    const log = eventLog();
    const client = startClient(clock, log);
    const first = await log.next('ready', 0);
    expect(await client.complete({ prompt: 'User: [[reply:from the daemon]]' })).toBe('from the daemon');
    expect(log.count('fallback')).toBe(0);

    process.kill(first.pid!, 'SIGKILL');
    expect((await log.next('exited', 0)).exit.signal).toBe('SIGKILL');
    expect(await log.next('restart-scheduled', 0)).toEqual({
      type: 'restart-scheduled',
      attempt: 1,
      delayMs: 1_000,
    });
    expect(client.state).toBe('restarting');
    expect(await client.complete({ prompt: 'User: [[reply:from chat]]' })).toBe('from chat');
    const streamed = await collect(
      client.stream({ prompt: 'User: [[chunks:3]] [[delay:40]] [[reply:a b c]]' }),
    );
    expect(streamed.join('')).toBe('a b c');
    expect(log.events.filter((event) => event.type === 'fallback')).toEqual([
      { type: 'fallback', reason: 'restarting' },
      { type: 'fallback', reason: 'restarting' },
    ]);

    const startsBefore = log.count('started');
    clock.advance(999);
    expect(log.count('started')).toBe(startsBefore);
    clock.advance(1);
    const second = await log.next('ready', log.events.indexOf(first) + 1);
    expect(second.pid).not.toBe(first.pid);
    expect(client.state).toBe('running');
    const chunks = await collect(
      client.stream({ prompt: 'User: [[chunks:4]] [[delay:40]] [[reply:back on the daemon]]' }),
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe('back on the daemon');
    expect(log.count('fallback')).toBe(2);

    await client.close();
    expect((await log.next('exited', log.events.indexOf(second))).exit.code).toBe(0);
    expect(client.state).toBe('closed');
  }, 60_000);

  it('answers one-shot a request the daemon died with before answering; fails one it had begun', async () => {
    const clock = createFakeClock();
    const log = eventLog();
    const client = startClient(clock, log);
    const first = await log.next('ready', 0);
    const callsBefore = assistantCalls(fixture.emulator).length;
    const pending = client.complete({ prompt: 'User: [[ttfb:1500]] [[reply:survives the crash]]' });
    await vi.waitFor(() => expect(assistantCalls(fixture.emulator).length).toBe(callsBefore + 1), {
      timeout: 10_000,
    });
    process.kill(first.pid!, 'SIGKILL');
    expect(await pending).toBe('survives the crash');
    expect(log.events).toContainEqual({ type: 'fallback', reason: 'daemon-exited' });

    clock.advance(1_000);
    const second = await log.next('ready', log.events.indexOf(first) + 1);
    const stream = client.stream({
      prompt: 'User: [[chunks:10]] [[delay:300]] [[reply:never finished at all]]',
    });
    const reader = stream[Symbol.asyncIterator]();
    expect((await reader.next()).done).toBe(false);
    process.kill(second.pid!, 'SIGKILL');
    const failure = await (async () => {
      while (!(await reader.next()).done);
    })().catch((error: unknown) => error);
    // Part of it reached the caller already: retrying would say it twice.
    expect(failure).toBeInstanceOf(KiroDockError);
    expect(failure).toMatchObject({ type: 'daemon_exited' });
    expect(log.count('fallback')).toBe(1);
    await client.close();
  }, 60_000);

  it('kills a daemon that stops answering pings, and starts another', async () => {
    const clock = createFakeClock();
    const log = eventLog();
    const client = startClient(clock, log);
    const first = await log.next('ready', 0);
    process.kill(first.pid!, 'SIGSTOP');
    clock.advance(10_000); // the next health ping goes out…
    clock.advance(2_000); // …and gets no pong in time
    expect(await log.next('unresponsive', 0)).toEqual({ type: 'unresponsive', pid: first.pid });
    expect((await log.next('exited', 0)).exit.signal).toBe('SIGKILL');
    clock.advance(1_000);
    const second = await log.next('ready', log.events.indexOf(first) + 1);
    expect(second.pid).not.toBe(first.pid);
    expect(await client.complete({ prompt: 'User: [[reply:healthy again]]' })).toBe('healthy again');
    await client.close();
  }, 60_000);
});
