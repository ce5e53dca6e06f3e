import { useTranslation } from 'react-i18next';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { LANGUAGES, rememberLanguage, type Language } from './i18n/i18n.ts';
import { AccountsPage } from './pages/AccountsPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { QuotasPage } from './pages/QuotasPage.tsx';
import { RequestsPage } from './pages/RequestsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { PAGES, type Page } from './routes.ts';
import { accountCounts } from './state/dashboardState.ts';
import { useDashboard } from './state/DashboardProvider.tsx';

const PAGE_COMPONENTS: Record<Page, () => React.JSX.Element> = {
  overview: OverviewPage,
  accounts: AccountsPage,
  quotas: QuotasPage,
  requests: RequestsPage,
  settings: SettingsPage,
};

/** The frame around every page: status, navigation, language. */
export function Shell({ page }: { page: Page }) {
  const { t, i18n } = useTranslation();
  const { state } = useDashboard();
  const Current = PAGE_COMPONENTS[page];
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">{t('appName')}</div>
        <ProxyStatus />
        <label className="language">
          <span className="visually-hidden">{t('language')}</span>
          <select
            aria-label={t('language')}
            value={i18n.language}
            onChange={(event) => {
              const language = event.target.value as Language;
              rememberLanguage(language);
              void i18n.changeLanguage(language);
            }}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </label>
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
