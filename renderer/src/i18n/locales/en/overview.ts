export const overviewEn = {
  title: 'Overview',
};
