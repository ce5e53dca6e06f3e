import { useTranslation } from 'react-i18next';
import { LANGUAGES, rememberLanguage, type Language } from './i18n.ts';

/** The dashboard's language and the one way to change it: switched at once and remembered for next time. */
export function useLanguage() {
  const { i18n } = useTranslation();
  const language: Language = i18n.language === 'zh' ? 'zh' : 'en';
  const changeLanguage = (next: Language) => {
    rememberLanguage(next);
    void i18n.changeLanguage(next);
  };
  return { language, languages: LANGUAGES, changeLanguage };
}
