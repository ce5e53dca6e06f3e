import type { Translations } from '../../translations.ts';
import type { accountsEn } from '../en/accounts.ts';

export const accountsZh: Translations<typeof accountsEn> = {
  title: 'Accounts',
};
