/** Which requests of the live log the table shows. Pure, so the page only keeps the chosen filter. */
import type { RequestLogEntry, ResponseCacheOutcome } from '../../../../shared/adminApi.ts';

export type StatusFilter = 'all' | 'ok' | 'errors';

/** `none`: the response cache took no part (the entry has no outcome). */
export type CacheFilter = 'all' | ResponseCacheOutcome | 'none';

export const CACHE_FILTERS: readonly CacheFilter[] = ['all', 'hit', 'miss', 'coalesced', 'bypass', 'none'];

export interface RequestFilter {
  text: string;
  status: StatusFilter;
  /** '' shows every model. */
  model: string;
  cache: CacheFilter;
}

export const NO_FILTER: RequestFilter = { text: '', status: 'all', model: '', cache: 'all' };

/** A client saw an error: an error status, or a failure the log describes. */
export function requestFailed(entry: RequestLogEntry): boolean {
  return entry.status >= 400 || entry.error !== undefined;
}

export function isFiltering(filter: RequestFilter): boolean {
  return (
    filter.text.trim() !== '' || filter.status !== 'all' || filter.model !== '' || filter.cache !== 'all'
  );
}

export function filterRequests(
  entries: readonly RequestLogEntry[],
  filter: RequestFilter,
): RequestLogEntry[] {
  const needle = filter.text.trim().toLowerCase();
  return entries.filter(
    (entry) =>
      matchesText(entry, needle) &&
      matchesStatus(entry, filter.status) &&
      (filter.model === '' || entry.model === filter.model) &&
      matchesCache(entry, filter.cache),
  );
}

/** The models the log holds, for the model choice; sorted so the list does not jump as requests arrive. */
export function modelsIn(entries: readonly RequestLogEntry[]): string[] {
  const models = new Set<string>();
  for (const entry of entries) if (entry.model) models.add(entry.model);
  return [...models].sort();
}

function matchesText(entry: RequestLogEntry, needle: string): boolean {
  if (needle === '') return true;
  return [entry.model, entry.accountLabel, entry.accountId, entry.route, entry.id].some((field) =>
    field?.toLowerCase().includes(needle),
  );
}

function matchesStatus(entry: RequestLogEntry, status: StatusFilter): boolean {
  if (status === 'all') return true;
  return status === 'errors' ? requestFailed(entry) : !requestFailed(entry);
}

function matchesCache(entry: RequestLogEntry, cache: CacheFilter): boolean {
  if (cache === 'all') return true;
  if (cache === 'none') return entry.responseCache === undefined;
  return entry.responseCache === cache;
}
