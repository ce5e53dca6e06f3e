import { useTranslation } from 'react-i18next';

export function AccountsPage() {
  const { t } = useTranslation('accounts');
  return <h1>{t('title')}</h1>;
}
