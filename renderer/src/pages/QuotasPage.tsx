import { useTranslation } from 'react-i18next';

export function QuotasPage() {
  const { t } = useTranslation('quotas');
  return <h1>{t('title')}</h1>;
}
