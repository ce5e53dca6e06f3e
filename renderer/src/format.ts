/** Numbers, durations and times as the dashboard shows them, in the user's language. */

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }).format(
    value,
  );
}

/** Kiro credits: a turn often costs a few hundredths, so up to four decimals are shown. */
export function formatCredits(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 4 }).format(
    value,
  );
}

/** 0.4 → "40 %"-style, per the language's conventions. */
export function formatPercent(ratio: number, language: string): string {
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(ratio);
}

/** Milliseconds as "850 ms", "1.2 s", "3 min". */
export function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A moment relative to now: "in 3 hours", "5 minutes ago". */
export function formatRelative(at: number, now: number, language: string): string {
  const format = new Intl.RelativeTimeFormat(language === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  const seconds = Math.round((at - now) / 1_000);
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3_600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3_600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/**
 * A moment that has passed, relative to now. One a few seconds ahead (the browser's clock and the proxy's differ
 * a little) reads as "now", never as "in 3 seconds".
 */
export function formatAgo(at: number, now: number, language: string): string {
  return formatRelative(Math.min(at, now), now, language);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How near a moment is, as the dashboard words it: within the hour, within the day, or further off. */
export function nearness(at: number, now: number): 'hour' | 'day' | 'far' {
  const distance = Math.abs(at - now);
  if (distance < HOUR_MS) return 'hour';
  return distance < DAY_MS ? 'day' : 'far';
}

/** A moment beside its relative time: the time of day when it is within a day, the date as well beyond. */
export function formatMoment(at: number, now: number, language: string): string {
  if (nearness(at, now) === 'far') return formatDateTime(at, language);
  return new Intl.DateTimeFormat(locale(language), { timeStyle: 'short' }).format(at);
}

function locale(language: string): string {
  return language === 'zh' ? 'zh-CN' : 'en';
}

export function formatDateTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
}

export function formatTime(at: number, language: string): string {
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', { timeStyle: 'medium' }).format(at);
}

/** Bytes as "12 KB", "32 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${Math.round(bytes / 1_024)} KB`;
  return `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`;
}
