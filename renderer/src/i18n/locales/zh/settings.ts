import type { Translations } from '../../translations.ts';
import type { settingsEn } from '../en/settings.ts';

export const settingsZh: Translations<typeof settingsEn> = {
  title: 'Settings',
};
