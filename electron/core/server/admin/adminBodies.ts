/** Request bodies of the admin API as zod schemas, checked against the shared contract's types. */
import { isIP } from 'node:net';
import { z } from 'zod';
import {
  LOG_LEVELS,
  POOL_STRATEGIES,
  type AddAccountRequest,
  type ImportAccountsRequest,
  type LogLevelView,
  type PoolStrategy,
  type SettingsPatch,
  type StrategyBody,
  type UpdateAccountRequest,
} from '../../../../shared/adminApi.ts';

const label = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const secret = z.string().min(1, 'must not be empty');

export const addAccountBody: z.ZodType<AddAccountRequest> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('social'), refreshToken: secret, label: label.optional() }),
  z.strictObject({
    kind: z.literal('idc'),
    refreshToken: secret,
    clientId: secret,
    clientSecret: secret,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
    label: label.optional(),
  }),
  z.strictObject({ kind: z.literal('api_key'), apiKey: secret, label: label.optional() }),
]);

export const updateAccountBody: z.ZodType<UpdateAccountRequest> = z.strictObject({
  disabled: z.boolean().optional(),
  label: label.optional(),
});

export const importAccountsBody: z.ZodType<ImportAccountsRequest> = z.strictObject({
  from: z.enum(['ide', 'kiro-cli']),
});

const poolStrategy = z.enum(POOL_STRATEGIES as [PoolStrategy, ...PoolStrategy[]]);

export const strategyBody: z.ZodType<StrategyBody> = z.strictObject({ strategy: poolStrategy });

/** Whole milliseconds; below 50 ms nothing would ever answer, above an hour a stall would go unnoticed. */
const timeoutMs = z
  .number()
  .int('must be a whole number of milliseconds')
  .min(50, 'must be at least 50 ms')
  .max(3_600_000, 'must be at most 3 600 000 ms (one hour)');

export const settingsPatchBody: z.ZodType<SettingsPatch> = z.strictObject({
  listen: z
    .strictObject({
      host: z
        .string()
        .refine((host) => host === 'localhost' || isIP(host) !== 0, 'must be an IP address or localhost')
        .optional(),
      port: z.number().int('must be a whole number').min(1).max(65_535).optional(),
    })
    .optional(),
  poolStrategy: poolStrategy.optional(),
  timeouts: z
    .strictObject({
      connectMs: timeoutMs.optional(),
      firstEventMs: timeoutMs.optional(),
      idleMs: timeoutMs.optional(),
    })
    .optional(),
  responseCache: z
    .strictObject({
      enabled: z.boolean().optional(),
      ttlSeconds: z.number().int('must be a whole number of seconds').min(0).max(86_400).optional(),
      maxBytes: z
        .number()
        .int('must be a whole number of bytes')
        .min(0)
        .max(1024 * 1024 * 1024, 'must be at most 1 GiB')
        .optional(),
    })
    .optional(),
  ideWriteBack: z.boolean().optional(),
  logLevel: z.enum(LOG_LEVELS as [LogLevelView, ...LogLevelView[]]).optional(),
  metricsPublic: z.boolean().optional(),
  capturePrompts: z.boolean().optional(),
});
