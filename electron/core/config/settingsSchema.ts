/**
 * One schema for every stored setting, used both when the dashboard writes a setting (the admin API's patch
 * body) and when the settings file is read (a file edited by hand or by another version). A bad value read from
 * the file is reported with its key and value and counts as absent, so the default applies; the proxy never
 * crashes over it and never takes a hand-written `"false"` for true.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  LOG_LEVELS,
  POOL_STRATEGIES,
  type LogLevelView,
  type PoolStrategy,
} from '../../../shared/adminApi.ts';
import {
  SETTING_CAPTURE_PROMPTS,
  SETTING_IDE_WRITE_BACK,
  SETTING_LISTEN_HOST,
  SETTING_LISTEN_PORT,
  SETTING_LOG_LEVEL,
  SETTING_METRICS_PUBLIC,
  SETTING_POOL_STRATEGY,
  SETTING_RESPONSE_CACHE,
  SETTING_TIMEOUTS,
} from './settingKeys.ts';

export const poolStrategySchema = z.enum(POOL_STRATEGIES as [PoolStrategy, ...PoolStrategy[]]);
export const logLevelSchema = z.enum(LOG_LEVELS as [LogLevelView, ...LogLevelView[]]);
export const listenHostSchema = z
  .string()
  .refine((host) => host === 'localhost' || isIP(host) !== 0, 'must be an IP address or localhost');
export const listenPortSchema = z.number().int('must be a whole number').min(1).max(65_535);

/** Whole milliseconds; below 50 ms nothing would ever answer, above an hour a stall would go unnoticed. */
const timeoutMs = z
  .number()
  .int('must be a whole number of milliseconds')
  .min(50, 'must be at least 50 ms')
  .max(3_600_000, 'must be at most 3 600 000 ms (one hour)');

export const timeoutFields = {
  connectMs: timeoutMs,
  firstEventMs: timeoutMs,
  idleMs: timeoutMs,
  controlCallMs: timeoutMs,
};

export const responseCacheFields = {
  enabled: z.boolean(),
  ttlSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(0)
    .max(86_400, 'must be at most 86 400 s (one day)'),
  maxBytes: z
    .number()
    .int('must be a whole number of bytes')
    .min(0)
    .max(1024 * 1024 * 1024, 'must be at most 1 GiB'),
  includeToolsAndSampling: z.boolean(),
};

/** Settings holding one value. */
const SCALAR_SETTINGS: Record<string, z.ZodType> = {
  [SETTING_POOL_STRATEGY]: poolStrategySchema,
  [SETTING_LOG_LEVEL]: logLevelSchema,
  [SETTING_LISTEN_HOST]: listenHostSchema,
  [SETTING_LISTEN_PORT]: listenPortSchema,
  [SETTING_IDE_WRITE_BACK]: z.boolean(),
  [SETTING_METRICS_PUBLIC]: z.boolean(),
  [SETTING_CAPTURE_PROMPTS]: z.boolean(),
};

/** Settings holding an object of optional fields: a bad field falls back alone, the others still apply. */
const OBJECT_SETTINGS: Record<string, Record<string, z.ZodType>> = {
  [SETTING_TIMEOUTS]: timeoutFields,
  [SETTING_RESPONSE_CACHE]: responseCacheFields,
};

/** The keys this schema checks; other keys (accounts and their states) have checks of their own. */
export const CHECKED_SETTING_KEYS = [...Object.keys(SCALAR_SETTINGS), ...Object.keys(OBJECT_SETTINGS)];

export interface SettingProblem {
  /** `timeouts.idleMs` for a field of an object setting. */
  key: string;
  value: unknown;
  problem: string;
}

/** The stored value with what is invalid left out, and what was left out. Unknown keys pass unchanged. */
export function checkStoredSetting(
  key: string,
  raw: unknown,
): { value: unknown; problems: SettingProblem[] } {
  if (raw === undefined) return { value: undefined, problems: [] };
  const scalar = SCALAR_SETTINGS[key];
  if (scalar) {
    const parsed = scalar.safeParse(raw);
    return parsed.success
      ? { value: parsed.data, problems: [] }
      : { value: undefined, problems: [{ key, value: raw, problem: firstIssue(parsed.error) }] };
  }
  const fields = OBJECT_SETTINGS[key];
  return fields ? checkObjectSetting(key, fields, raw) : { value: raw, problems: [] };
}

function checkObjectSetting(
  key: string,
  fields: Record<string, z.ZodType>,
  raw: unknown,
): { value: unknown; problems: SettingProblem[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { value: undefined, problems: [{ key, value: raw, problem: 'must be an object' }] };
  }
  const value: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  for (const [field, fieldValue] of Object.entries(raw)) {
    const schema = fields[field];
    if (!schema) {
      problems.push({ key: `${key}.${field}`, value: fieldValue, problem: 'is not a known setting' });
      continue;
    }
    const parsed = schema.safeParse(fieldValue);
    if (parsed.success) value[field] = parsed.data;
    else problems.push({ key: `${key}.${field}`, value: fieldValue, problem: firstIssue(parsed.error) });
  }
  return { value, problems };
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'is not valid';
}
