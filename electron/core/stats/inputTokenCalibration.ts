/**
 * One input-token figure per request, the same in count_tokens, message_start and message_delta: the local
 * estimate, with its text part scaled per Kiro model by what Kiro's own figures showed for earlier requests
 * (docs/usage-figures.md). Images are counted by their pixels and not scaled. The scale moves a third of the way
 * to each new observation, so one odd request does not swing it, and it starts at 1 (the plain estimate).
 */
import type { InputTokenParts } from '../translate/countTokens.ts';

export interface InputTokenCalibration {
  /** The figure reported for a request to this Kiro model. */
  estimate(modelId: string, parts: InputTokenParts): number;
  /** Kiro's own whole-input figure for a request with these parts. */
  learn(modelId: string, parts: InputTokenParts, upstreamTokens: number): void;
  /** The text scale now in force for the model (1 until Kiro reported a figure). */
  scaleOf(modelId: string): number;
}

/** Below this the percentage Kiro reports (two decimals of a 200k–1M window) is too coarse to learn from. */
const MIN_TEXT_TOKENS_TO_LEARN = 500;
const LEARNING_RATE = 1 / 3;
/** A scale outside this says the observation is broken (a truncated figure), not that the estimate is off. */
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;
/** Model ids come from a small catalogue and the user's aliases; the bound only guards against a runaway. */
const MAX_MODELS = 64;

export function createInputTokenCalibration(): InputTokenCalibration {
  const scales = new Map<string, number>();
  const scaleOf = (modelId: string) => scales.get(modelId) ?? 1;
  return {
    scaleOf,
    estimate(modelId, parts) {
      return Math.round(parts.text * scaleOf(modelId)) + parts.images;
    },
    learn(modelId, parts, upstreamTokens) {
      if (parts.text < MIN_TEXT_TOKENS_TO_LEARN || !Number.isFinite(upstreamTokens)) return;
      const observed = (upstreamTokens - parts.images) / parts.text;
      if (observed < MIN_SCALE || observed > MAX_SCALE) return;
      const previous = scales.get(modelId);
      if (previous === undefined && scales.size >= MAX_MODELS) return;
      scales.set(
        modelId,
        previous === undefined ? observed : previous + (observed - previous) * LEARNING_RATE,
      );
    },
  };
}
