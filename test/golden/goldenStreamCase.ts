import type { KiroEvent } from '../../electron/core/kiro/kiroEvents.ts';

/** A recorded upstream stream (`test/golden/streams/<case>/events.json`) and the assembler options it needs. */
export interface GoldenStreamCase {
  options: {
    thinking: boolean;
    estimatedInputTokens: number;
    contextWindow: number;
    toolNames?: Record<string, string>;
  };
  events: KiroEvent[];
}
