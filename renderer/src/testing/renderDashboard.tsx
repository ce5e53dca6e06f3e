/**
 * Renders the dashboard (or one page of it) signed in against a fake admin API, in a chosen language.
 */
import { render, type RenderResult } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { App } from '../App.tsx';
import { createI18n, type Language } from '../i18n/i18n.ts';
import type { Page } from '../routes.ts';
import { createFakeAdminApi, type FakeAdminApi, type FakeAdminState } from './fakeAdminApi.ts';

export interface RenderedDashboard extends RenderResult {
  api: FakeAdminApi;
}

export function renderDashboard(
  options: {
    page?: Page;
    language?: Language;
    state?: Partial<FakeAdminState>;
    signedIn?: boolean;
    loginCode?: string;
  } = {},
): RenderedDashboard {
  const api = createFakeAdminApi(options.state);
  localStorage.clear();
  if (options.signedIn !== false) localStorage.setItem('kiro-dock.session', 'session-token');
  window.location.hash = `#/${options.page ?? 'overview'}`;
  const i18n = createI18n(options.language ?? 'en');
  const result = render(
    <I18nextProvider i18n={i18n}>
      <App fetch={api.fetch} loginCode={options.loginCode} />
    </I18nextProvider>,
  );
  return { ...result, api };
}
