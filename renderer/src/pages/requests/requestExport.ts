/**
 * The requests log as files: JSON as the admin API gives it, CSV one row a request for a spreadsheet. Written
 * here rather than with a CSV library: the log is flat, and RFC 4180 quoting is the only rule it needs.
 */
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';

const CSV_COLUMNS = [
  'id',
  'at',
  'route',
  'model',
  'kiroModel',
  'accountId',
  'accountLabel',
  'status',
  'stream',
  'attempts',
  'failedAttempts',
  'ttftMs',
  'durationMs',
  'inputTokens',
  'outputTokens',
  'cacheReadInputTokens',
  'cacheCreationInputTokens',
  'credits',
  'responseCache',
  'error',
  'prompt',
] as const;

export function requestsAsJson(entries: readonly RequestLogEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}

export function requestsAsCsv(entries: readonly RequestLogEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries)
    lines.push(CSV_COLUMNS.map((column) => csvField(cellOf(entry, column))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cellOf(entry: RequestLogEntry, column: (typeof CSV_COLUMNS)[number]): string {
  if (column === 'at') return new Date(entry.at).toISOString();
  if (column === 'failedAttempts') {
    return (entry.failedAttempts ?? [])
      .map(
        (failed) =>
          `${failed.accountLabel ?? failed.accountId}: ${failed.kind}${failed.status ? ` ${failed.status}` : ''}`,
      )
      .join('; ');
  }
  const value = entry[column];
  return value === undefined ? '' : String(value);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The file name of an export made at `at`: `kiro-dock-requests-2026-11-28T09-30-00.csv`. */
export function exportFileName(at: number, extension: 'csv' | 'json'): string {
  return `kiro-dock-requests-${new Date(at).toISOString().slice(0, 19).replaceAll(':', '-')}.${extension}`;
}

/** Hands `text` to the browser as a download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
