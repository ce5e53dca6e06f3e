import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App.tsx';
import { takeLoginCode } from './api/session.ts';
import { createI18n, preferredLanguage, storedLanguage } from './i18n/i18n.ts';
import 'uplot/dist/uPlot.min.css';
import './theme.css';
import './layout.css';

const i18n = createI18n(preferredLanguage(storedLanguage(), navigator.languages));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App loginCode={takeLoginCode()} />
    </I18nextProvider>
  </StrictMode>,
);
