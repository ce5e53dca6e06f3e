import type { Translations } from '../../translations.ts';
import type { overviewEn } from '../en/overview.ts';

export const overviewZh: Translations<typeof overviewEn> = {
  title: 'Overview',
};
