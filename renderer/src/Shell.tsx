import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { desktopBridge } from './desktopBridge.ts';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import type { Language } from './i18n/i18n.ts';
import { useLanguage } from './i18n/useLanguage.ts';
import { AccountsPage } from './pages/AccountsPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { QuotasPage } from './pages/QuotasPage.tsx';
import { RequestsPage } from './pages/RequestsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx';
import { PAGES, type Page } from './routes.ts';
import { accountCounts } from './state/dashboardState.ts';
import { useDashboard } from './state/DashboardProvider.tsx';

const PAGE_COMPONENTS: Record<Page, () => React.JSX.Element> = {
  overview: OverviewPage,
  accounts: AccountsPage,
  quotas: QuotasPage,
  requests: RequestsPage,
  usage: UsagePage,
  settings: SettingsPage,
};

/** The frame around every page: status, navigation, language. */
export function Shell({ page }: { page: Page }) {
  const { t } = useTranslation();
  const { state } = useDashboard();
  const Current = PAGE_COMPONENTS[page];
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">{t('appName')}</div>
        <ProxyStatus />
        <LanguageSwitch />
      </header>
      <nav className="tabs" aria-label={t('appName')}>
        {PAGES.map((name) => (
          <a key={name} href={`#/${name}`} className="tab" aria-current={name === page ? 'page' : undefined}>
            {t(`nav.${name}`)}
          </a>
        ))}
      </nav>
      <main className="page" id={`page-${page}`}>
        {state.unreachable ? <ErrorBanner>{t('errors.unreachable')}</ErrorBanner> : null}
        {state.loadError && !state.unreachable ? (
          <ErrorBanner>{t('errors.loadFailed', { message: state.loadError })}</ErrorBanner>
        ) : null}
        <Current />
      </main>
    </div>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const { language, languages, changeLanguage } = useLanguage();
  // In the desktop app the tray menu and the notifications speak the dashboard's language.
  useEffect(() => {
    desktopBridge()
      ?.setLanguage(language)
      .catch(() => undefined);
  }, [language]);
  return (
    <select
      className="language"
      aria-label={t('language')}
      value={language}
      onChange={(event) => changeLanguage(event.target.value as Language)}
    >
      {languages.map((choice) => (
        <option key={choice} value={choice}>
          {t(`languages.${choice}`)}
        </option>
      ))}
    </select>
  );
}

function ProxyStatus() {
  const { t } = useTranslation();
  const { state } = useDashboard();
  const counts = accountCounts(state.accounts);
  const status = state.unreachable ? 'unreachable' : (state.health?.status ?? 'checking');
  const endpoint = state.settings?.listening ?? state.settings?.listen;
  return (
    <div className="proxy-status" data-testid="proxy-status" data-status={status}>
      <span className={`dot dot-${status}`} aria-hidden="true" />
      <span>{t(`status.${status}`)}</span>
      {endpoint ? <code className="endpoint">{`http://${endpoint.host}:${endpoint.port}`}</code> : null}
      {state.accounts ? <span className="muted">{t('status.accountsOk', counts)}</span> : null}
      <span className={`muted events events-${state.events}`}>
        {state.events === 'live'
          ? t('status.live')
          : state.events === 'reconnecting'
            ? t('status.reconnecting')
            : state.events === 'connecting'
              ? t('status.connecting')
              : null}
      </span>
    </div>
  );
}
