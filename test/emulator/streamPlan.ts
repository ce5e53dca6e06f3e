/**
 * Turns the healthy event sequence into the bytes actually sent, damaged as a stream fault asks: truncated,
 * corrupted, interrupted by an exception, padded with an unknown or repeated event, or empty.
 */
import { encodeKiroEvent, encodeKiroException } from '../../electron/core/kiro/eventStreamEncoder.ts';
import type { FaultKind } from './faults.ts';
import type { WireEvent } from './responseEvents.ts';

export interface StreamPlan {
  frames: Buffer[];
  /** 'cut' destroys the socket after the last frame instead of ending the chunked body. */
  ending: 'end' | 'cut';
  /** Write each frame as several small slices so frames straddle TCP packets. */
  splitWrites: boolean;
}

export const UNKNOWN_EVENT_TYPE = 'experimentalInsightEvent';
export const STREAM_EXCEPTION_TYPE = 'InternalServerException';
const STREAM_EXCEPTION_MESSAGE =
  'Encountered an unexpected error when processing the request, please try again.';
/** Kiro throttling inside a 200 stream: the same ThrottlingException its HTTP 429s carry. */
const THROTTLING_EXCEPTION = encodeKiroException('ThrottlingException', {
  message: 'Too many requests, please wait before trying again.',
  reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
});

export function planStream(events: WireEvent[], fault: FaultKind | undefined): StreamPlan {
  const plan = (frames: Buffer[], ending: 'end' | 'cut' = 'end'): StreamPlan => ({
    frames,
    ending,
    splitWrites: false,
  });
  const keep = eventsBeforeMidText(events);
  switch (fault) {
    case 'empty':
      return plan([]);
    case 'cut':
      return plan(encodeAll(events.slice(0, keep)), 'cut');
    case 'cut-in-tool':
      return plan(encodeAll(events.slice(0, eventsUpToFirstToolFragment(events))), 'cut');
    case 'exception':
      return plan([
        ...encodeAll(events.slice(0, keep)),
        encodeKiroException(STREAM_EXCEPTION_TYPE, { message: STREAM_EXCEPTION_MESSAGE }),
      ]);
    case 'throttling-exception':
      return plan([THROTTLING_EXCEPTION]);
    case 'throttling-exception-late':
      return plan([...encodeAll(events.slice(0, keep)), THROTTLING_EXCEPTION]);
    case 'bad-crc':
      return plan(
        encodeAll(events).map((frame, index) => (index === keep ? withCorruptMessageCrc(frame) : frame)),
      );
    case 'unknown-event':
      return plan(encodeAll([...events.slice(0, keep), unknownEvent(), ...events.slice(keep)]));
    case 'duplicate':
      return plan(encodeAll(withFirstTextRepeated(events)));
    case 'split':
      return { ...plan(encodeAll(events)), splitWrites: true };
    default:
      return plan(encodeAll(events));
  }
}

function encodeAll(events: WireEvent[]): Buffer[] {
  return events.map((event) => encodeKiroEvent(event.eventType, event.payload));
}

/** How many leading events hold the first half of the text (at least one text event when there is any). */
function eventsBeforeMidText(events: WireEvent[]): number {
  const textIndices = events.flatMap((event, index) => (event.role === 'text' ? [index] : []));
  if (textIndices.length === 0) return 0;
  return textIndices[Math.ceil(textIndices.length / 2) - 1]! + 1;
}

/** Through the first input fragment of the first tool call: the call is open and its JSON incomplete. */
function eventsUpToFirstToolFragment(events: WireEvent[]): number {
  const firstFragment = events.findIndex((event) => event.role === 'toolInput');
  return firstFragment === -1 ? eventsBeforeMidText(events) : firstFragment + 1;
}

function withCorruptMessageCrc(frame: Buffer): Buffer {
  const corrupt = Buffer.from(frame);
  corrupt[corrupt.length - 1]! ^= 0xff;
  return corrupt;
}

function unknownEvent(): WireEvent {
  return { eventType: UNKNOWN_EVENT_TYPE, payload: { insight: 'clients must ignore this' }, role: 'trailer' };
}

/** The model legitimately saying the same piece twice ("ha" "ha"): both must reach the client. */
function withFirstTextRepeated(events: WireEvent[]): WireEvent[] {
  const first = events.findIndex((event) => event.role === 'text');
  if (first === -1) return events;
  return [...events.slice(0, first + 1), events[first]!, ...events.slice(first + 1)];
}
