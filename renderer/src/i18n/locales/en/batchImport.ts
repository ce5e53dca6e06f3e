export const batchImportEn = {
  open: 'Import many…',
  title: 'Import many logins',
  explain:
    'Paste refresh tokens (one per line) or a file exported by Kiro Dock, or drop the file here. Each login is checked with Kiro before it is added; duplicates are skipped.',
  text: 'Refresh tokens or export file',
  file: 'Or choose a file',
  start: 'Import',
  running: 'Importing…',
  progress: '{{done}} of {{total}} checked',
  columns: { index: '#', token: 'Token', result: 'Result' },
  status: {
    pending: 'Waiting',
    added: 'Added',
    duplicate: 'Duplicate',
    failed: 'Failed',
  },
  summary: '{{added}} added, {{duplicate}} duplicates, {{failed}} failed.',
  close: 'Close',
};
