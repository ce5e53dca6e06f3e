import { useTranslation } from 'react-i18next';
import type { AccountView, QuotaGrantView, QuotaView } from '../../../shared/adminApi.ts';
import { UsageBar } from '../components/charts/UsageBar.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { Loading } from '../components/Loading.tsx';
import { translateCoreMessage } from '../../../shared/coreMessages.ts';
import { formatAgo, formatDateTime, formatNumber, formatPercent, formatRelative } from '../format.ts';
import { useNow } from '../hooks/useNow.ts';
import { useDashboard } from '../state/DashboardProvider.tsx';
import './quotas.css';

/** What the credits of one account look like ahead. */
export type QuotaOutlook =
  | { kind: 'exhausted'; resetsAt?: number }
  | { kind: 'runs_out'; at: number }
  | { kind: 'lasts_until_reset' }
  | { kind: 'no_rate' };

/**
 * The core forecasts only an exhaustion that comes before the reset; without one, the credits last until the
 * reset (or, with no reset date, do not run out at the recent rate).
 */
export function quotaOutlook(quota: QuotaView): QuotaOutlook {
  if (quota.remaining <= 0) return { kind: 'exhausted', resetsAt: quota.resetsAt };
  if (quota.forecastExhaustedAt !== undefined) return { kind: 'runs_out', at: quota.forecastExhaustedAt };
  return quota.resetsAt !== undefined ? { kind: 'lasts_until_reset' } : { kind: 'no_rate' };
}

/** Credits per account (used of limit, free trial, bonuses, reset, forecast) and their total. */
export function QuotasPage() {
  const { t } = useTranslation('quotas');
  const { state } = useDashboard();
  // Relative times here are days away: a minute's tick keeps them true.
  const now = useNow(60_000);
  const accounts = state.accounts;
  return (
    <>
      <h1>{t('title')}</h1>
      {accounts === undefined ? (
        <Loading>{t('loading')}</Loading>
      ) : accounts.length === 0 ? (
        <div className="card">
          <EmptyState title={t('empty.title')} action={<a href="#/accounts">{t('empty.action')}</a>}>
            {t('empty.body')}
          </EmptyState>
        </div>
      ) : (
        <>
          <QuotaTotal accounts={accounts} />
          <div className="quota-cards">
            {accounts.map((account) => (
              <QuotaCard key={account.id} account={account} now={now} />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function useQuotaFormat() {
  const { t, i18n } = useTranslation('quotas');
  const language = i18n.language;
  const number = (value: number) => formatNumber(value, language);
  return {
    t,
    language,
    number,
    barText: (used: number, limit: number) =>
      t('barText', {
        used: number(used),
        limit: number(limit),
        percent: formatPercent(limit > 0 ? used / limit : 0, language),
      }),
  };
}

function QuotaTotal({ accounts }: { accounts: AccountView[] }) {
  const { t, number, barText } = useQuotaFormat();
  const quotas = accounts.flatMap((account) => (account.quota ? [account.quota] : []));
  const used = quotas.reduce((sum, quota) => sum + quota.used, 0);
  const limit = quotas.reduce((sum, quota) => sum + quota.limit, 0);
  const remaining = quotas.reduce((sum, quota) => sum + Math.max(0, quota.remaining), 0);
  return (
    <section className="card quota-total" data-testid="quota-total" aria-labelledby="quota-total-title">
      <h2 id="quota-total-title">{t('total.title')}</h2>
      {quotas.length === 0 ? (
        <p className="muted">{t('total.none')}</p>
      ) : (
        <>
          <QuotaFigures used={used} limit={limit} remaining={remaining} />
          <UsageBar used={used} limit={limit} label={t('total.title')} valueText={barText(used, limit)} />
        </>
      )}
      <p className="muted">
        {t('total.detail', { reporting: number(quotas.length), total: number(accounts.length) })}
      </p>
    </section>
  );
}

function QuotaFigures({ used, limit, remaining }: { used: number; limit: number; remaining: number }) {
  const { t, number } = useQuotaFormat();
  return (
    <div className="quota-figures">
      <span>{t('used', { used: number(used), limit: number(limit) })}</span>
      <span className="muted">{t('left', { remaining: number(Math.max(0, remaining)) })}</span>
    </div>
  );
}

function QuotaCard({ account, now }: { account: AccountView; now: number }) {
  const { t, barText, language } = useQuotaFormat();
  const { quota } = account;
  const titleId = `quota-card-title-${account.id}`;
  return (
    <section className="card quota-card" data-testid={`quota-card-${account.id}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {account.label}
        {account.email && account.email !== account.label ? (
          <span className="muted quota-email"> {account.email}</span>
        ) : null}
        {quota?.subscriptionTitle ? (
          <span className="badge quota-plan">{quota.subscriptionTitle}</span>
        ) : null}
      </h2>
      {quota ? (
        <>
          <QuotaFigures used={quota.used} limit={quota.limit} remaining={quota.remaining} />
          <UsageBar
            used={quota.used}
            limit={quota.limit}
            label={t('barLabel', { name: account.label })}
            valueText={barText(quota.used, quota.limit)}
          />
          <QuotaDetails quota={quota} now={now} />
        </>
      ) : (
        <p className="muted" data-testid="quota-missing">
          {noQuotaReason(account, t, language)}
        </p>
      )}
    </section>
  );
}

function QuotaDetails({ quota, now }: { quota: QuotaView; now: number }) {
  const { t, language } = useQuotaFormat();
  return (
    <ul className="quota-details">
      {quota.freeTrial ? <GrantLine name={t('freeTrial')} grant={quota.freeTrial} /> : null}
      {quota.bonuses.map((bonus, index) => (
        <GrantLine key={index} name={t('bonus')} grant={bonus} />
      ))}
      <li>
        {quota.resetsAt === undefined
          ? t('noReset')
          : t('resets', {
              date: formatDateTime(quota.resetsAt, language),
              relative: formatRelative(quota.resetsAt, now, language),
            })}
      </li>
      <li className="quota-forecast" data-testid="quota-forecast">
        {forecastText(quotaOutlook(quota), t, language)}
      </li>
      {quota.overageEnabled ? <li>{t('overage')}</li> : null}
      <li className="muted">{t('checked', { relative: formatAgo(quota.fetchedAt, now, language) })}</li>
    </ul>
  );
}

function GrantLine({ name, grant }: { name: string; grant: QuotaGrantView }) {
  const { t, number, language } = useQuotaFormat();
  const parts = [t('grant', { used: number(grant.used), limit: number(grant.limit) })];
  if (grant.expiresAt !== undefined)
    parts.push(t('expires', { date: formatDateTime(grant.expiresAt, language) }));
  if (!grant.active) parts.push(t('inactive'));
  return (
    <li className={grant.active ? undefined : 'muted'}>
      <strong>{name}</strong> {parts.join(' · ')}
    </li>
  );
}

type QuotasT = ReturnType<typeof useQuotaFormat>['t'];

function forecastText(outlook: QuotaOutlook, t: QuotasT, language: string): string {
  switch (outlook.kind) {
    case 'exhausted':
      return outlook.resetsAt === undefined
        ? t('forecast.exhaustedNoReset')
        : t('forecast.exhausted', { date: formatDateTime(outlook.resetsAt, language) });
    case 'runs_out':
      return t('forecast.runsOut', { date: formatDateTime(outlook.at, language) });
    case 'lasts_until_reset':
      return t('forecast.lastsUntilReset');
    case 'no_rate':
      return t('forecast.noRate');
  }
}

/** Why there are no numbers, and what would bring them. */
function noQuotaReason(account: AccountView, t: QuotasT, language: string): string {
  const { state } = account;
  if (account.disabled || state.kind === 'disabled') return t('noQuota.disabled');
  if (state.kind === 'needs_relogin' || state.kind === 'suspended')
    return t('noQuota.needsAttention', { reason: translateCoreMessage(state.reason, language) });
  if (account.authMethod === 'api_key') return t('noQuota.apiKey');
  return t('noQuota.notYet');
}
