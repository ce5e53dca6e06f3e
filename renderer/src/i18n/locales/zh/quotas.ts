import type { Translations } from '../../translations.ts';
import type { quotasEn } from '../en/quotas.ts';

export const quotasZh: Translations<typeof quotasEn> = {
  title: 'Quotas',
};
