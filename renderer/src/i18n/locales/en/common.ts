export const commonEn = {
  appName: 'Kiro Dock',
  nav: {
    overview: 'Overview',
    accounts: 'Accounts',
    quotas: 'Quotas',
    requests: 'Requests',
    usage: 'Usage',
    settings: 'Settings',
  },
  status: {
    ok: 'Running',
    degraded: 'Degraded',
    unavailable: 'No account can serve',
    unreachable: 'Proxy not reachable',
    checking: 'Checking…',
    accountsOk: '{{ok}} of {{total}} accounts ready',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    connecting: 'Connecting…',
  },
  language: 'Language',
  languages: { en: 'English', zh: '简体中文' },
  actions: {
    copy: 'Copy',
    copied: 'Copied',
    cancel: 'Cancel',
    confirm: 'Confirm',
    retry: 'Try again',
    close: 'Close',
    save: 'Save',
  },
  signIn: {
    title: 'Sign in to the dashboard',
    explain:
      'Open the dashboard link that kiro-dock serve printed (it works once), or paste the admin token it printed.',
    tokenLabel: 'Admin token or login code',
    submit: 'Sign in',
    expired: 'Your session ended (the proxy restarted). Sign in again.',
    failed: 'Sign-in failed: {{message}}',
  },
  errors: {
    unreachable:
      'Kiro Dock is not reachable. Start the proxy (tray menu or kiro-dock serve), then try again.',
    loadFailed: 'The dashboard could not load: {{message}}',
  },
  time: {
    never: 'never',
  },
  chart: {
    peak: 'peak {{value}}',
    noSamples: 'no samples',
  },
};
