/**
 * Reads Kiro events from an upstream body as the bytes arrive, with per-phase watchdogs instead of one blunt
 * total timeout: a long answer that keeps streaming is never cut, a stalled one is.
 */
import type { Readable } from 'node:stream';
import type { Clock, Timer } from '../ports.ts';
import type { KiroEvent } from './kiroEvents.ts';
import { createKiroEventDecoder } from './kiroEventDecoder.ts';
import { UpstreamError } from './upstreamError.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface StreamTimeouts {
  /** From the response headers to the first event. */
  firstEventMs: number;
  /** Longest silence between two chunks once the stream has started. */
  idleMs: number;
}

/**
 * Yields the events of each network read together: a batch is exactly what arrived at once, so passing it on
 * whole adds no delay while letting the client side write one packet instead of one per event.
 */
export async function* readKiroEvents(
  body: Readable,
  timeouts: StreamTimeouts,
  clock: Clock,
): AsyncGenerator<KiroEvent[]> {
  const decoder = createKiroEventDecoder();
  let sawEvent = false;
  let watchdog: Timer | undefined;
  const arm = () => {
    watchdog?.cancel();
    const [ms, phase] = sawEvent
      ? [timeouts.idleMs, 'between two events (idle timeout)']
      : [timeouts.firstEventMs, 'for the first event (first-event timeout)'];
    watchdog = clock.setTimer(() => {
      body.destroy(new UpstreamError('timeout', `Kiro sent nothing for ${ms} ms ${phase}`));
    }, ms);
  };
  try {
    arm();
    for await (const chunk of body) {
      arm();
      const events = decoder.push(chunk as Buffer);
      if (events.length === 0) continue;
      sawEvent = true;
      yield events;
    }
    // Throws stream_truncated when the body stopped inside a frame, or a corruption seen in the last chunk.
    decoder.end();
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError('stream_truncated', `Kiro stream broke off: ${errorMessage(error)}`, {
      cause: error,
    });
  } finally {
    watchdog?.cancel();
    body.destroy();
  }
}
