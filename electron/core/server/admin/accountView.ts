/** Accounts as the admin API shows them: metadata, state and quota, never a token, secret or key. */
import type { AccountView, QuotaView } from '../../../../shared/adminApi.ts';
import type { AccountSecrets, QuotaSnapshot } from '../../accounts/accountModel.ts';
import type { PoolAccount } from '../../accounts/accountPool.ts';
import { chatHostName } from '../../kiro/kiroEndpoints.ts';

const API_KEY_PREFIX = 'ksk_';
/** Characters of an API key's end shown; the rest of the key stays hidden. */
const API_KEY_TAIL = 4;
/** Keys shorter than this show no tail: four characters of a short key are too large a part of it. */
const MIN_KEY_LENGTH_FOR_TAIL = 24;

/** Pure. Fields are picked one by one, so nothing added to the core's records or secrets leaks by accident. */
export function toAccountView(
  account: PoolAccount,
  secrets: AccountSecrets | undefined,
  forecastExhaustedAt?: number,
): AccountView {
  const { record, quota } = account;
  const view: AccountView = {
    id: record.id,
    label: record.label,
    source: record.source,
    authMethod: record.authMethod,
    region: record.region,
    disabled: record.disabled,
    state: structuredClone(account.state),
    inFlight: account.inFlight,
    hasRefreshToken: Boolean(secrets?.refreshToken),
    hasApiKey: Boolean(secrets?.apiKey),
  };
  if (record.provider) view.provider = record.provider;
  if (record.signIn) view.signIn = { ...record.signIn };
  if (record.profileArn) view.profileArn = record.profileArn;
  if (record.chatHost)
    view.chatHost = { ...record.chatHost, host: chatHostName(record.chatHost.family, record.region) };
  const email = record.email ?? quota?.email;
  if (email) view.email = email;
  if (account.expiresAt !== undefined) view.tokenExpiresAt = account.expiresAt;
  if (secrets?.apiKey) view.apiKeyPreview = maskApiKey(secrets.apiKey);
  if (quota) view.quota = toQuotaView(quota, forecastExhaustedAt);
  if (account.lastError) view.lastError = { ...account.lastError };
  return view;
}

/** `ksk_…abcd`: tells keys apart in a list without revealing a usable part of any. */
export function maskApiKey(key: string): string {
  const prefix = key.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX : '';
  const tail = key.length >= MIN_KEY_LENGTH_FOR_TAIL ? key.slice(-API_KEY_TAIL) : '';
  return `${prefix}…${tail}`;
}

function toQuotaView(quota: QuotaSnapshot, forecastExhaustedAt: number | undefined): QuotaView {
  const view: QuotaView = {
    limit: quota.limit,
    used: quota.used,
    remaining: quota.remaining,
    overageCapable: quota.overageCapable,
    overageEnabled: quota.overageEnabled,
    bonuses: quota.bonuses.map((bonus) => ({ ...bonus })),
    fetchedAt: quota.fetchedAt,
  };
  if (quota.resetsAt !== undefined) view.resetsAt = quota.resetsAt;
  if (quota.subscriptionTitle) view.subscriptionTitle = quota.subscriptionTitle;
  if (quota.freeTrial) view.freeTrial = { ...quota.freeTrial };
  if (forecastExhaustedAt !== undefined) view.forecastExhaustedAt = forecastExhaustedAt;
  return view;
}
