/** Requests and tokens per model over a window, from the requests log (the stats carry no per-model counts). */
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';

export interface ModelUsageRow {
  model: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Absent when no request of the model reported credits. */
  credits?: number;
}

/** Most used first; requests that named no model (refused before parsing) are left out. */
export function usageByModel(entries: readonly RequestLogEntry[], since: number): ModelUsageRow[] {
  const rows = new Map<string, ModelUsageRow>();
  for (const entry of entries) {
    if (entry.at < since || !entry.model) continue;
    const row = rows.get(entry.model) ?? {
      model: entry.model,
      requests: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
    };
    row.requests += 1;
    if (entry.status >= 400 || entry.error !== undefined) row.errors += 1;
    row.inputTokens += entry.inputTokens ?? 0;
    row.outputTokens += entry.outputTokens ?? 0;
    if (entry.credits !== undefined) row.credits = (row.credits ?? 0) + entry.credits;
    rows.set(entry.model, row);
  }
  return [...rows.values()].sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
}
