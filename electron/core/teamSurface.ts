/** What hosts use of the team side of the core: client keys, the usage ledger, replicas on Redis. */
export { createClientKeyRegistry, ClientKeyInputError } from './keys/clientKeyRegistry.ts';
export { settingsClientKeyStore } from './keys/clientKeyStore.ts';
export type { ClientKeyRecord } from './keys/clientKeyRecord.ts';
export type { KeySpending } from './keys/keySpending.ts';
export { periodWindow } from './keys/budgetPeriod.ts';
export { openSqliteUsageLedger } from './usage/sqliteUsageLedger.ts';
export type { UsageLedger, UsageRow } from './usage/usageLedger.ts';
export { USAGE_RETENTION_SETTING } from './usage/usageRetention.ts';
export { connectRedisTeamState, type RedisTeamState, type SharedAccounts } from './redis/redisTeamState.ts';
export { parseSecretKey, SecretKeyFormatError, SecretKeyMismatchError } from './secrets/secretEnvelope.ts';
