import { useTranslation } from 'react-i18next';
import type { QuotaView } from '../../../../shared/adminApi.ts';
import { formatNumber } from '../../format.ts';

/** Used credits against the limit (base, free trial and bonuses together), as a labelled progress bar. */
export function QuotaBar({ quota, accountLabel }: { quota: QuotaView | undefined; accountLabel: string }) {
  const { t, i18n } = useTranslation('accounts');
  if (!quota) return <span className="muted">{t('quota.none')}</span>;
  const ratio = quota.limit > 0 ? Math.min(1, quota.used / quota.limit) : 1;
  const text = t('quota.used', {
    used: formatNumber(quota.used, i18n.language),
    limit: formatNumber(quota.limit, i18n.language),
  });
  const tone = ratio >= 0.9 ? 'quota-bar-danger' : ratio >= 0.7 ? 'quota-bar-warn' : '';
  return (
    <div className="quota">
      <div
        className={`quota-bar ${tone}`}
        role="progressbar"
        aria-label={t('quota.label', { account: accountLabel })}
        aria-valuemin={0}
        aria-valuemax={quota.limit}
        aria-valuenow={quota.used}
        aria-valuetext={text}
      >
        <div className="quota-bar-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span className="quota-text">{text}</span>
    </div>
  );
}
