/**
 * Writes a planned event stream onto an HTTP response with the requested pacing. Without a delay the frames go
 * out back to back in one tick (no timers, so benchmarks measure the proxy, not the emulator).
 */
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { StreamPlan } from './streamPlan.ts';

export interface StreamPacing {
  interFrameDelayMs: number;
  /** Aborted when the client goes away or the emulator closes: stop writing. */
  signal: AbortSignal;
}

export async function writeStreamPlan(
  response: ServerResponse,
  plan: StreamPlan,
  pacing: StreamPacing,
): Promise<void> {
  if (pacing.interFrameDelayMs <= 0 && !plan.splitWrites) {
    plan.frames.forEach((frame) => response.write(frame));
  } else {
    for (const [index, frame] of plan.frames.entries()) {
      if (index > 0 && pacing.interFrameDelayMs > 0) await sleep(pacing.interFrameDelayMs, undefined, pacing);
      if (response.destroyed) return;
      if (plan.splitWrites) await writeInSlices(response, frame, pacing.signal);
      else response.write(frame);
    }
  }
  if (plan.ending === 'end') response.end();
  else cutAfterFlush(response);
}

/** Offsets inside a frame that land in the prelude, the headers, the payload and the trailing CRC. */
export function sliceOffsets(length: number): number[] {
  const candidates = [1, 5, 13, Math.floor(length / 2), length - 3];
  return [...new Set(candidates)].filter((offset) => offset > 0 && offset < length).sort((a, b) => a - b);
}

async function writeInSlices(response: ServerResponse, frame: Buffer, signal: AbortSignal): Promise<void> {
  let start = 0;
  for (const end of [...sliceOffsets(frame.length), frame.length]) {
    if (response.destroyed) return;
    response.write(frame.subarray(start, end));
    start = end;
    // A turn of the event loop between slices makes each one its own TCP segment (the socket has no Nagle).
    await nextTurn(undefined, { signal });
  }
}

/**
 * Ends the connection without the chunked terminator. Ending the raw socket (not the response) flushes the
 * frames already written, then sends FIN where the client expects the rest of the body.
 */
function cutAfterFlush(response: ServerResponse): void {
  const socket = response.socket;
  socket?.end(() => socket.destroy());
}
