import { describe, expect, it } from 'vitest';
import { createTurnCoalescer, type SharedTurn } from '../../electron/core/cache/turnCoalescer.ts';
import type { TurnSink } from '../../electron/core/server/turn/turnSink.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';

/** A shared call driven by the test: it hands out the sink and finishes when told. */
function controlledTurn() {
  const control: {
    sink?: TurnSink;
    signal?: AbortSignal;
    starts: number;
    finish(): void;
    fail(error: unknown): void;
  } = { starts: 0, finish: () => undefined, fail: () => undefined };
  const run: SharedTurn = (sink, signal) => {
    control.starts += 1;
    control.sink = sink;
    control.signal = signal;
    return new Promise<void>((resolve, reject) => {
      control.finish = resolve;
      control.fail = reject;
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  };
  return { run, control };
}

function recordingSink(canRestartAfterOutput = false) {
  const received: TurnEvent[] = [];
  const sink: TurnSink = { canRestartAfterOutput, onOutput: (events) => void received.push(...events) };
  return { sink, received };
}

const text = (value: string): TurnEvent => ({ type: 'text_delta', text: value });
const end: TurnEvent = { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2 } };

describe('createTurnCoalescer', () => {
  it('starts one call per key; a late subscriber gets the earlier events, then the live ones', async () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    const first = recordingSink();
    const late = recordingSink();
    const stored: TurnEvent[][] = [];
    const leader = coalescer.join('k', first.sink, new AbortController().signal, run, (events) => {
      stored.push([...events]);
    });
    await control.sink!.onOutput([text('a'), text('b')]);
    const follower = coalescer.join('k', late.sink, new AbortController().signal, run);
    await control.sink!.onOutput([text('c'), end]);
    control.finish();
    await Promise.all([leader.done, follower.done]);

    expect(control.starts).toBe(1);
    expect([leader.coalesced, follower.coalesced]).toEqual([false, true]);
    expect(first.received).toEqual([text('a'), text('b'), text('c'), end]);
    expect(late.received).toEqual(first.received);
    expect(stored).toEqual([first.received]);
    expect(coalescer.coalescedCount()).toBe(1);
    expect(coalescer.inFlight()).toBe(0);
  });

  it('fans the error of a failed call out to every subscriber and stores nothing', async () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    let stored = 0;
    const joins = [1, 2, 3].map(() =>
      coalescer.join('k', recordingSink().sink, new AbortController().signal, run, () => stored++),
    );
    const failure = new Error('upstream broke');
    control.fail(failure);
    for (const join of joins) await expect(join.done).rejects.toBe(failure);
    expect(stored).toBe(0);
    expect(coalescer.inFlight()).toBe(0);
  });

  it('keeps the call going when the first client leaves, and aborts it when the last one does', async () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    const leaderAbort = new AbortController();
    const followerAbort = new AbortController();
    const follower = recordingSink();
    const leader = coalescer.join('k', recordingSink().sink, leaderAbort.signal, run);
    const second = coalescer.join('k', follower.sink, followerAbort.signal, run);
    leaderAbort.abort(new Error('client left'));
    await expect(leader.done).rejects.toThrow('client left');
    expect(control.signal!.aborted).toBe(false);
    await control.sink!.onOutput([text('still here')]);
    expect(follower.received).toEqual([text('still here')]);
    followerAbort.abort(new Error('second left'));
    await expect(second.done).rejects.toThrow('second left');
    expect(control.signal!.aborted).toBe(true);
  });

  it('allows a restart only while no subscriber showed output it cannot take back', async () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    const buffered = recordingSink(true);
    let restarts = 0;
    buffered.sink.onRestart = () => restarts++;
    coalescer.join('k', buffered.sink, new AbortController().signal, run);
    await control.sink!.onOutput([text('first try')]);
    expect(control.sink!.canRestartAfterOutput).toBe(true);
    control.sink!.onRestart!();
    expect(restarts).toBe(1);

    const streaming = recordingSink(false);
    coalescer.join('k', streaming.sink, new AbortController().signal, run);
    expect(control.sink!.canRestartAfterOutput).toBe(true);
    await control.sink!.onOutput([text('second try')]);
    expect(control.sink!.canRestartAfterOutput).toBe(false);
  });

  it('different keys run separately', () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    coalescer.join('a', recordingSink().sink, new AbortController().signal, run);
    coalescer.join('b', recordingSink().sink, new AbortController().signal, run);
    expect(control.starts).toBe(2);
    expect(coalescer.inFlight()).toBe(2);
  });

  it('says whether a key has a call in flight, until that call ends', async () => {
    const coalescer = createTurnCoalescer();
    const { run, control } = controlledTurn();
    expect(coalescer.isInFlight('k')).toBe(false);
    const join = coalescer.join('k', recordingSink().sink, new AbortController().signal, run);
    expect([coalescer.isInFlight('k'), coalescer.isInFlight('other')]).toEqual([true, false]);
    control.finish();
    await join.done;
    expect(coalescer.isInFlight('k')).toBe(false);
  });
});
