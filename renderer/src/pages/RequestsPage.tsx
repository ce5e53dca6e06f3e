import { useTranslation } from 'react-i18next';

export function RequestsPage() {
  const { t } = useTranslation('requests');
  return <h1>{t('title')}</h1>;
}
