export const accountsEn = {
  title: 'Accounts',
};
