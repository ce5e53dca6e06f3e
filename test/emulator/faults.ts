/**
 * The failures the emulator can inject (docs/upstream/event-stream.md §5, errors.md): HTTP errors answered instead of the
 * stream, and stream faults that damage an otherwise normal 200 answer.
 */

export const FAULT_KINDS = [
  '429',
  '429-retry-30',
  '402',
  '429-monthly',
  '403-invalid',
  '403-suspended',
  '400-too-long',
  '400-reasoning-fields',
  '500',
  'slow-headers',
  'cut',
  'cut-in-tool',
  'bad-crc',
  'exception',
  'throttling-exception',
  'throttling-exception-late',
  'split',
  'unknown-event',
  'duplicate',
  'empty',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** A server-wide fault; with `times` it applies to the next N assistant requests only. */
export interface FaultSpec {
  kind: FaultKind;
  times?: number;
}

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

export interface HttpFault {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const BEARER_TOKEN_INVALID = {
  message: 'The bearer token included in the request is invalid.',
  reason: null,
};

const HTTP_FAULTS: Partial<Record<FaultKind, HttpFault>> = {
  '429': {
    status: 429,
    headers: { 'retry-after': '2' },
    body: {
      message: 'Too many requests, please wait before trying again.',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
    },
  },
  // As '429', asking for a wait that outlasts a test on a busy machine.
  '429-retry-30': {
    status: 429,
    headers: { 'retry-after': '30' },
    body: {
      message: 'Too many requests, please wait before trying again.',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
    },
  },
  '402': {
    status: 402,
    headers: {},
    body: { message: 'You have reached the limit.', reason: 'MONTHLY_REQUEST_COUNT' },
  },
  '429-monthly': {
    status: 429,
    headers: {},
    body: {
      __type: 'ThrottlingException',
      message: 'Maximum Request reached for this month.',
      reason: 'MONTHLY_REQUEST_COUNT',
    },
  },
  '403-invalid': { status: 403, headers: {}, body: BEARER_TOKEN_INVALID },
  '403-suspended': {
    status: 403,
    headers: {},
    body: {
      message:
        'Your User ID (d-9067c1a2b3.4f8e2d1c-7a6b-4c3d-9e8f-0a1b2c3d4e5f) temporarily is suspended. ' +
        'Please contact support for assistance.',
      reason: 'TEMPORARILY_SUSPENDED',
    },
  },
  '400-too-long': {
    status: 400,
    headers: {},
    body: { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' },
  },
  '400-reasoning-fields': {
    status: 400,
    headers: {},
    body: { message: 'additionalModelRequestFields is not supported for this model', reason: null },
  },
  '500': {
    status: 500,
    headers: {},
    body: { message: 'Encountered unexpectedly high load when processing the request, please try again.' },
  },
};

/** The error answered instead of a stream, or undefined for faults that act on the stream itself. */
export function httpFaultFor(kind: FaultKind): HttpFault | undefined {
  return HTTP_FAULTS[kind];
}

export interface ServerFault {
  set(spec: FaultSpec | undefined): void;
  /** The fault for the next request, counting down `times`. */
  take(): FaultKind | undefined;
}

export function createServerFault(initial?: FaultSpec): ServerFault {
  let current: { kind: FaultKind; remaining: number } | undefined;
  const set = (spec: FaultSpec | undefined) => {
    current = spec ? { kind: spec.kind, remaining: spec.times ?? Number.POSITIVE_INFINITY } : undefined;
  };
  set(initial);
  return {
    set,
    take() {
      if (!current || current.remaining <= 0) return undefined;
      current.remaining -= 1;
      return current.kind;
    },
  };
}
