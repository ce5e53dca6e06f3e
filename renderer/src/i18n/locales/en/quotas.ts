export const quotasEn = {
  title: 'Quotas',
};
