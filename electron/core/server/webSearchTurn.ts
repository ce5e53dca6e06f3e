/**
 * A turn with the web search server tool (docs/web-search.md): Kiro rounds in a loop. Whenever the model calls
 * the search function, Kiro Dock runs the search (at most `max_uses` times), shows the client a
 * `server_tool_use` and a `web_search_tool_result` block, gives the model the results and lets it go on; the turn
 * ends when a round ends without a search (or with a call of the client's own tools). The client sees one
 * message, as from the Anthropic API, with `usage.server_tool_use.web_search_requests`.
 */
import type { AnthropicMessage, AnthropicRequest } from '../translate/anthropicRequest.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import type { TurnEvent, TurnUsage } from '../translate/turnEvents.ts';
import { searchResultsForModel } from '../translate/webSearchHistory.ts';
import type { WebSearchConfig } from '../translate/webSearchTool.ts';
import { randomId } from './randomId.ts';
import { runTurnWithReasoningRetry } from './reasoningRetry.ts';
import type { TurnDeps } from './runTurn.ts';
import type { TurnSink } from './turn/turnSink.ts';
import { runWebSearch, type SearchOutcome } from './webSearchCall.ts';
import { createSearchRound, type SearchCall, type SearchRound } from './webSearchRound.ts';

export interface WebSearchTurn {
  request: AnthropicRequest;
  config: WebSearchConfig;
  /** The first round's translation (already checked by the route). */
  translation: KiroTranslation;
  /** Translates the conversation for the next round. */
  translate(request: AnthropicRequest): KiroTranslation;
  sessionKey?: string;
}

/** A model that keeps searching past `max_uses` is stopped after this many refused calls. */
const MAX_REFUSED_CALLS = 2;

export function webSearchTurnRunner(deps: TurnDeps, turn: WebSearchTurn) {
  return async (sink: TurnSink, signal: AbortSignal): Promise<void> => {
    let messages = turn.request.messages;
    let translation = turn.translation;
    let searches = 0;
    let refused = 0;
    const usage: TurnUsage[] = [];
    for (;;) {
      const round = await runRound(deps, translation, turn.sessionKey, sink, signal);
      usage.push(round.end!.usage);
      const outcomes: SearchOutcome[] = [];
      for (const call of round.calls) {
        const allowed = searches < turn.config.maxUses;
        if (allowed && call.inputValid) searches++;
        if (!allowed) refused++;
        outcomes.push(await searchFor(deps, call, allowed, turn, signal));
      }
      if (round.calls.length > 0) {
        await sink.onOutput(round.calls.flatMap((call, index) => searchEvents(call, outcomes[index]!)));
      }
      const done = round.calls.length === 0 || round.calledClientTools || refused >= MAX_REFUSED_CALLS;
      if (done) {
        const stopReason = round.calledClientTools
          ? 'tool_use'
          : round.calls.length > 0
            ? 'end_turn'
            : round.end!.stopReason;
        await sink.onOutput([{ type: 'end', stopReason, usage: turnUsage(usage, searches) }]);
        return;
      }
      messages = [...messages, ...searchExchange(round, outcomes)];
      translation = turn.translate({ ...turn.request, messages });
    }
  };
}

/**
 * One Kiro call. Output streams to the client as it comes, except when the sink may restart (a JSON answer):
 * then the round is kept until it is complete, so a retried round never drops the rounds before it.
 */
async function runRound(
  deps: TurnDeps,
  translation: KiroTranslation,
  sessionKey: string | undefined,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<SearchRound> {
  let round = createSearchRound();
  let held: TurnEvent[] = [];
  await runTurnWithReasoningRetry(
    deps,
    { translation, sessionKey },
    {
      get canRestartAfterOutput() {
        return sink.canRestartAfterOutput;
      },
      onAttempt: (accountId, attempt, retryOf) => sink.onAttempt?.(accountId, attempt, retryOf),
      onRestart: () => {
        round = createSearchRound();
        held = [];
      },
      onOutput: async (events) => {
        const passed = round.take(events);
        if (sink.canRestartAfterOutput) held.push(...passed);
        else if (passed.length > 0) await sink.onOutput(passed);
      },
    },
    signal,
  );
  if (held.length > 0) await sink.onOutput(held);
  return round;
}

async function searchFor(
  deps: TurnDeps,
  call: SearchCall,
  allowed: boolean,
  turn: WebSearchTurn,
  signal: AbortSignal,
): Promise<SearchOutcome> {
  if (!allowed) return { hits: [], errorCode: 'max_uses_exceeded' };
  if (!call.inputValid) return { hits: [], errorCode: 'invalid_tool_input' };
  return runWebSearch(deps, call.query, turn.config, { sessionKey: turn.sessionKey, signal });
}

function searchEvents(call: SearchCall, outcome: SearchOutcome): TurnEvent[] {
  const id = randomId('srvtoolu_');
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query: call.query } },
    {
      type: 'web_search_result',
      toolUseId: id,
      hits: outcome.hits,
      ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
    },
  ];
}

/** The round as history: what the model wrote and its search calls, then the results as tool results. */
function searchExchange(round: SearchRound, outcomes: SearchOutcome[]): AnthropicMessage[] {
  return [
    { role: 'assistant', content: round.assistantBlocks() },
    {
      role: 'user',
      content: round.calls.map((call, index) => ({
        type: 'tool_result' as const,
        tool_use_id: call.toolUseId,
        content: searchResultsForModel(call.query, outcomes[index]!.hits, outcomes[index]!.errorCode),
        ...(outcomes[index]!.errorCode !== undefined ? { is_error: true } : {}),
      })),
    },
  ];
}

/**
 * The turn's usage: output and credits add up over the rounds; input is the last round's, the size of the
 * context the answer was written in (what clients such as Claude Code compact by).
 */
function turnUsage(rounds: readonly TurnUsage[], searches: number): TurnUsage {
  const last = rounds.at(-1)!;
  const usage: TurnUsage = {
    ...last,
    outputTokens: rounds.reduce((sum, round) => sum + round.outputTokens, 0),
    webSearchRequests: searches,
  };
  const credits = rounds.filter((round) => round.credits !== undefined);
  if (credits.length > 0) usage.credits = credits.reduce((sum, round) => sum + round.credits!, 0);
  return usage;
}
