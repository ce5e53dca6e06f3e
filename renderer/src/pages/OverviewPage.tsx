import { useTranslation } from 'react-i18next';

export function OverviewPage() {
  const { t } = useTranslation('overview');
  return <h1>{t('title')}</h1>;
}
