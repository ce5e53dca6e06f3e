/** Request bodies of the admin API as zod schemas, checked against the shared contract's types. */
import { z } from 'zod';
import type {
  AddAccountRequest,
  ImportAccountsRequest,
  SettingsPatch,
  StrategyBody,
  UpdateAccountRequest,
} from '../../../../shared/adminApi.ts';
import {
  listenHostSchema,
  listenPortSchema,
  logLevelSchema,
  poolStrategySchema,
  responseCacheFields,
  timeoutFields,
} from '../../config/settingsSchema.ts';

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

export const strategyBody: z.ZodType<StrategyBody> = z.strictObject({ strategy: poolStrategySchema });

export const settingsPatchBody: z.ZodType<SettingsPatch> = z.strictObject({
  listen: z.strictObject({ host: listenHostSchema.optional(), port: listenPortSchema.optional() }).optional(),
  poolStrategy: poolStrategySchema.optional(),
  timeouts: z
    .strictObject({
      connectMs: timeoutFields.connectMs.optional(),
      firstEventMs: timeoutFields.firstEventMs.optional(),
      idleMs: timeoutFields.idleMs.optional(),
    })
    .optional(),
  responseCache: z.strictObject(responseCacheFields).partial().optional(),
  ideWriteBack: z.boolean().optional(),
  logLevel: logLevelSchema.optional(),
  metricsPublic: z.boolean().optional(),
  capturePrompts: z.boolean().optional(),
});
