/**
 * A tool call's id is the client's handle on it: the client answers a `tool_use` with a `tool_result` naming
 * that id, and expects ids to be unique. An answer handed to a second request — replayed from the cache or
 * shared from another request's upstream call — therefore gets ids of its own, the same one for every event of
 * one call, so its stream and its JSON stay consistent and no two responses ever carry the same tool call id.
 */
import type { TurnSink } from '../server/turn/turnSink.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';

/** Maps the events of one response; an id seen before keeps the fresh id it was given. */
export type ToolIdRenewer = (events: readonly TurnEvent[]) => TurnEvent[];

export function createToolIdRenewer(newToolId: () => string): ToolIdRenewer {
  const renewed = new Map<string, string>();
  const freshIdFor = (id: string): string => {
    let fresh = renewed.get(id);
    if (fresh === undefined) {
      fresh = newToolId();
      renewed.set(id, fresh);
    }
    return fresh;
  };
  return (events) => events.map((event) => ('id' in event ? { ...event, id: freshIdFor(event.id) } : event));
}

/** The same sink, receiving every tool call under an id minted for it. */
export function withFreshToolIds(sink: TurnSink, newToolId: () => string): TurnSink {
  const renew = createToolIdRenewer(newToolId);
  return {
    onOutput: (events) => sink.onOutput(renew(events)),
    // Read through: the shared call asks at the moment it decides whether it may restart.
    get canRestartAfterOutput() {
      return sink.canRestartAfterOutput;
    },
    onRestart: () => sink.onRestart?.(),
    onAttempt: (accountId, attempt, retryOf) => sink.onAttempt?.(accountId, attempt, retryOf),
  };
}
