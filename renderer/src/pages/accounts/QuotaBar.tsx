import { useTranslation } from 'react-i18next';
import type { QuotaView } from '../../../../shared/adminApi.ts';
import { UsageBar } from '../../components/charts/UsageBar.tsx';
import { formatNumber } from '../../format.ts';

/** Used credits against the limit (base, free trial and bonuses together), as a labelled progress bar. */
export function QuotaBar({ quota, accountLabel }: { quota: QuotaView | undefined; accountLabel: string }) {
  const { t, i18n } = useTranslation('accounts');
  if (!quota) return <span className="muted">{t('quota.none')}</span>;
  const text = t('quota.used', {
    used: formatNumber(quota.used, i18n.language),
    limit: formatNumber(quota.limit, i18n.language),
  });
  return (
    <div className="quota">
      <UsageBar
        used={quota.used}
        limit={quota.limit}
        label={t('quota.label', { account: accountLabel })}
        valueText={text}
      />
      <span className="quota-text">{text}</span>
    </div>
  );
}
