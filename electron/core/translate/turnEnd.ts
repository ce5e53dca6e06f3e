/**
 * How a turn ends: its stop reason and usage, decided from what Kiro reported along the way
 * (docs/upstream/event-stream.md §4). Real numbers win over estimates, and a figure Kiro did not report stays absent.
 */
import type { KiroTokenUsage } from '../kiro/kiroEvents.ts';
import { estimateTokens } from './tokenEstimate.ts';
import type { StopReason, TurnUsage } from './turnEvents.ts';

/** What the bookkeeping events (metering, contextUsage, metadata) said during the turn. */
export interface TurnReport {
  credits?: number;
  contextUsagePercentage?: number;
  tokenUsage?: KiroTokenUsage;
  stopReason?: string;
}

export interface TurnOutput {
  completedToolCalls: number;
  onlyThinking: boolean;
  /** Everything the model wrote (text, thinking, tool arguments), for the output estimate. */
  text: string;
}

export interface UsageBasis {
  /** The request's whole input as Kiro Dock reports it everywhere: the calibrated estimate. */
  estimatedInputTokens: number;
  contextWindow: number;
}

export function resolveStopReason(report: TurnReport, output: TurnOutput): StopReason {
  if (output.completedToolCalls > 0) return 'tool_use';
  if (output.onlyThinking) return 'max_tokens';
  if ((report.contextUsagePercentage ?? 0) >= 100) return 'model_context_window_exceeded';
  return mapUpstreamStopReason(report.stopReason);
}

function mapUpstreamStopReason(upstream: string | undefined): StopReason {
  switch (upstream?.toLowerCase().replace(/[^a-z]/g, '')) {
    case 'maxtokens':
    case 'length':
      return 'max_tokens';
    case 'modelcontextwindowexceeded':
    case 'contextwindowexceeded':
      return 'model_context_window_exceeded';
    default:
      return 'end_turn';
  }
}

/**
 * One input figure for the whole turn: the calibrated estimate the client already saw in message_start (and
 * count_tokens), split into uncached + cache read + cache write when Kiro reported its cache use. Kiro's own
 * figure is kept aside for the calibration (docs/usage-figures.md).
 */
export function resolveUsage(report: TurnReport, output: TurnOutput, basis: UsageBasis): TurnUsage {
  const tokens = report.tokenUsage ?? {};
  const cached = (tokens.cacheReadInputTokens ?? 0) + (tokens.cacheWriteInputTokens ?? 0);
  const usage: TurnUsage = {
    inputTokens: Math.max(0, basis.estimatedInputTokens - cached),
    outputTokens: tokens.outputTokens ?? estimateTokens(output.text),
  };
  if (tokens.cacheReadInputTokens !== undefined) usage.cacheReadInputTokens = tokens.cacheReadInputTokens;
  if (tokens.cacheWriteInputTokens !== undefined)
    usage.cacheCreationInputTokens = tokens.cacheWriteInputTokens;
  if (report.credits !== undefined) usage.credits = report.credits;
  const upstream = upstreamInputTokens(report, basis.contextWindow);
  if (upstream !== undefined) usage.upstreamInputTokens = upstream;
  return usage;
}

function upstreamInputTokens(report: TurnReport, contextWindow: number): number | undefined {
  const tokens = report.tokenUsage ?? {};
  if (tokens.uncachedInputTokens !== undefined) {
    return (
      tokens.uncachedInputTokens + (tokens.cacheReadInputTokens ?? 0) + (tokens.cacheWriteInputTokens ?? 0)
    );
  }
  if (report.contextUsagePercentage === undefined) return undefined;
  return Math.round((report.contextUsagePercentage * contextWindow) / 100);
}
