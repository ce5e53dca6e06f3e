/**
 * Where every finished request is accounted for, whichever way it came in (an HTTP route or a prompt from the
 * stdio daemon): one log line, the metrics and time series, and the dashboard's requests log.
 */
import type express from 'express';
import type { Clock, Logger } from '../ports.ts';
import type { RequestStats } from '../stats/requestStats.ts';
import type { RecentRequests } from './admin/recentRequests.ts';
import { toRequestLogEntry } from './admin/requestLogEntry.ts';
import { creditsOf } from './turn/requestCredits.ts';
import { logRequest } from './requestLog.ts';
import type { RequestOrigin, RequestRecord } from './turn/requestRecord.ts';
import { keyIdentityOf } from './clientKeyAuth.ts';
import { usageRowOf } from './usageRowOf.ts';
import type { UsageRow } from '../usage/usageLedger.ts';

export interface RequestRecorderDeps {
  logger: Logger;
  stats: RequestStats;
  recentRequests: RecentRequests;
  clock: Clock;
  accountLabel(accountId: string): string | undefined;
  capturePrompts(): boolean;
  /** The ledger's row and the key's spending, for every finished request. */
  onUsage?(row: UsageRow): void;
  /** The credits a request's turn cost, charged to the account that served it. */
  chargeCredits?(accountId: string, credits: number): void;
}

export type RecordRequest = (origin: RequestOrigin, record: RequestRecord) => void;

export function createRequestRecorder(deps: RequestRecorderDeps): RecordRequest {
  return (origin, record) => {
    const monotonicNow = deps.clock.monotonicNow();
    const durationMs = Math.max(0, monotonicNow - record.started);
    const accountLabel = record.accountId && deps.accountLabel(record.accountId);
    const credits = creditsOf(record);
    if (credits !== undefined && record.accountId !== undefined) {
      deps.chargeCredits?.(record.accountId, credits);
    }
    logRequest(deps.logger, origin, record, monotonicNow);
    deps.stats.recordRequest(origin.route, record);
    deps.recentRequests.add(
      toRequestLogEntry({
        id: origin.id,
        route: origin.route,
        source: origin.source,
        body: origin.body,
        record,
        now: deps.clock.now(),
        monotonicNow,
        accountLabel,
        labelOf: deps.accountLabel,
        capturePrompts: deps.capturePrompts(),
      }),
    );
    deps.onUsage?.(
      usageRowOf({
        key: origin.key,
        route: origin.route,
        // A request refused before it was understood still says which model it asked for.
        record: record.model === undefined ? { ...record, model: askedModel(origin.body) } : record,
        at: Math.round(deps.clock.now() - durationMs),
        durationMs,
        accountLabel: accountLabel || undefined,
      }),
    );
  };
}

function askedModel(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model.slice(0, 200) : undefined;
}

/** An HTTP request as the recorder sees it; the route is the matched path, whatever the client put in the URL. */
export function httpOrigin(req: express.Request): RequestOrigin {
  const route: unknown = req.route;
  const path = (route as { path?: unknown } | undefined)?.path;
  return {
    id: req.res?.locals['requestId'] as string,
    route: typeof path === 'string' ? path : 'other',
    method: req.method,
    path: req.path,
    body: req.body,
    key: req.res && keyIdentityOf(req.res),
  };
}
