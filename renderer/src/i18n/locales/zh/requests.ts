import type { Translations } from '../../translations.ts';
import type { requestsEn } from '../en/requests.ts';

export const requestsZh: Translations<typeof requestsEn> = {
  title: 'Requests',
};
