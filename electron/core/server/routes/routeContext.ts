import type { Request } from 'express';
import type { Logger } from '../../ports.ts';
import type { TurnDeps } from '../runTurn.ts';
import type { AccountSummary } from '../../accounts/ideAccount.ts';
import type { TurnEvent } from '../../translate/turnEvents.ts';

export interface ServerSettings {
  /** Client model id → Kiro modelId, consulted before the built-in mapping. */
  modelAliases: Record<string, string>;
}

export interface RequestRecord {
  status: number;
  started: number;
  model?: string;
  modelId?: string;
  firstOutputAt?: number;
  events?: TurnEvent[];
  error?: unknown;
}

/** What every route needs; assembled once by createApp. */
export interface RouteContext {
  turnDeps: TurnDeps;
  settings: ServerSettings;
  logger: Logger;
  version: string;
  startedAt: number;
  describeAccount(): AccountSummary | undefined;
  recordRequest(req: Request, record: RequestRecord): void;
}
