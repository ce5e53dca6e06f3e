/**
 * English and Simplified Chinese. The language follows the OS (the browser's language list) until the user picks
 * one, which is remembered. One namespace per page, so each page's texts live beside each other.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { accountsEn } from './locales/en/accounts.ts';
import { commonEn } from './locales/en/common.ts';
import { overviewEn } from './locales/en/overview.ts';
import { quotasEn } from './locales/en/quotas.ts';
import { requestsEn } from './locales/en/requests.ts';
import { settingsEn } from './locales/en/settings.ts';
import { usageEn } from './locales/en/usage.ts';
import { signInEn } from './locales/en/signIn.ts';
import { batchImportEn } from './locales/en/batchImport.ts';
import { accountsZh } from './locales/zh/accounts.ts';
import { commonZh } from './locales/zh/common.ts';
import { overviewZh } from './locales/zh/overview.ts';
import { quotasZh } from './locales/zh/quotas.ts';
import { requestsZh } from './locales/zh/requests.ts';
import { settingsZh } from './locales/zh/settings.ts';
import { usageZh } from './locales/zh/usage.ts';
import { signInZh } from './locales/zh/signIn.ts';
import { batchImportZh } from './locales/zh/batchImport.ts';

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  en: {
    common: commonEn,
    overview: overviewEn,
    accounts: accountsEn,
    quotas: quotasEn,
    requests: requestsEn,
    settings: settingsEn,
    usage: usageEn,
    signIn: signInEn,
    batchImport: batchImportEn,
  },
  zh: {
    common: commonZh,
    overview: overviewZh,
    accounts: accountsZh,
    quotas: quotasZh,
    requests: requestsZh,
    settings: settingsZh,
    usage: usageZh,
    signIn: signInZh,
    batchImport: batchImportZh,
  },
} as const;

const LANGUAGE_KEY = 'kiro-dock.language';

/** The remembered choice, else the first of the OS's languages we have, else English. */
export function preferredLanguage(
  stored: string | null | undefined,
  osLanguages: readonly string[],
): Language {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const tag of osLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    defaultNS: 'common',
    ns: Object.keys(resources.en),
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  instance.on('languageChanged', (next) => {
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  });
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  return instance;
}

export function rememberLanguage(language: Language, storage: Storage = localStorage): void {
  storage.setItem(LANGUAGE_KEY, language);
}

export function storedLanguage(storage: Storage = localStorage): string | null {
  return storage.getItem(LANGUAGE_KEY);
}
