/** What a request was and how it ended: what the recorder, the requests log, stats and the usage ledger read. */
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';
import type { KeyIdentity } from '../../keys/clientKeyRecord.ts';
import type { TurnEvent } from '../../translate/turnEvents.ts';
import type { FailedAttempt } from './turnSink.ts';

/** What a request was, apart from how it ended. */
export interface RequestOrigin {
  id: string;
  /** A bounded label (metrics use it): the matched HTTP route, or the non-HTTP source's name. */
  route: string;
  method: string;
  path: string;
  /** Absent for HTTP requests. */
  source?: RequestLogEntry['source'];
  /** The parsed request: where `stream` and (when captured) the prompt come from. */
  body: unknown;
  /** The client key it was authenticated with (absent: the default key, or none yet). */
  key?: KeyIdentity;
}

export interface RequestRecord {
  status: number;
  /** The clock's monotonicNow() when the request arrived. */
  started: number;
  model?: string;
  modelId?: string;
  /** monotonicNow() when the first output reached (or was ready for) the client. */
  firstOutputAt?: number;
  events?: TurnEvent[];
  error?: unknown;
  /** The account that served (or last tried) the request. */
  accountId?: string;
  /** Upstream attempts made (0 when answered without calling Kiro). */
  attempts?: number;
  /** The attempts that failed and were retried (on the same account or another), oldest first. */
  failedAttempts?: FailedAttempt[];
  /** How the response cache took part. */
  cache?: 'hit' | 'miss' | 'coalesced' | 'bypass';
}
