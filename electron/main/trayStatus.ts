/** Reads what the tray shows from the running core; plain Node, so it is tested with a real core. */
import type { Core } from '../core/index.ts';
import type { TrayAccountStatus, TrayStatus } from './trayMenuModel.ts';
import type { DesktopLanguage } from './trayTexts.ts';

export interface TrayStatusSources {
  core: Pick<Core, 'pool' | 'stats' | 'settings'>;
  problem(): string | undefined;
  warning(): string | undefined;
  launchAtLogin(): boolean | undefined;
  now(): number;
  language?(): DesktopLanguage;
}

export function readTrayStatus(sources: TrayStatusSources): TrayStatus {
  const { core } = sources;
  const accounts = core.pool.snapshot().map((account): TrayAccountStatus => ({
    id: account.record.id,
    label: account.record.label,
    state: account.state.kind,
    ...(account.quota && { quota: { remaining: account.quota.remaining, limit: account.quota.limit } }),
  }));
  const listening = core.settings.listening();
  const problem = sources.problem();
  const warning = sources.warning();
  return {
    ...(listening && { listening: { ...listening } }),
    ...(problem && { problem }),
    ...(warning && { warning }),
    requestsToday: requestsSince(core, startOfLocalDay(sources.now())),
    accounts,
    launchAtLogin: sources.launchAtLogin(),
    ...(sources.language && { language: sources.language() }),
  };
}

/** The 24-hour series has one bucket a minute, so "today" is the buckets that began after local midnight. */
function requestsSince(core: Pick<Core, 'stats'>, since: number): number {
  return core.stats
    .report('24h')
    .buckets.filter((bucket) => bucket.start >= since)
    .reduce((sum, bucket) => sum + bucket.requests, 0);
}

export function startOfLocalDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
