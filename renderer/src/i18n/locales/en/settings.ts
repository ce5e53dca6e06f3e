export const settingsEn = {
  title: 'Settings',
  loading: 'Loading settings…',
  notLoaded: {
    title: 'Settings could not be loaded',
    body: 'This proxy did not answer GET /admin/settings. Check that Kiro Dock is running and up to date, then try again.',
  },
  saved: 'Saved.',
  saveFailed: 'Not saved: {{message}}',
  unsaved: 'Unsaved changes',
  listen: {
    title: 'Listen address',
    explain: 'Where clients such as Claude Code reach the proxy.',
    host: 'Host',
    port: 'Port',
    exposed:
      '{{host}} is not a loopback address: anyone who can reach this machine on the network could use your Kiro accounts.',
    restart: 'Kiro Dock listens on {{now}}; {{next}} applies after a restart.',
    restartWithoutOverride:
      'Saved: {{next}} applies when the proxy starts without {{overrides}}, which chose the address it uses now.',
    effective: 'Listening now on {{address}}.',
    environment: 'the environment variable',
    origin: {
      flag: 'The port comes from the --port flag, which wins over the saved setting.',
      env: 'The port comes from an environment variable, which wins over the saved setting.',
      settings: 'The port comes from the saved setting.',
      default: 'The port is the default (nothing saved).',
    },
    portProblems: {
      notANumber: 'Enter a port number from 1024 to 65535.',
      outOfRange: '{{port}} is not a port: enter a whole number from 1024 to 65535.',
      privileged:
        'Port {{port}} needs administrator rights on macOS and Linux, so the proxy could not start on it: choose one from 1024 to 65535.',
    },
  },
  clientKey: {
    title: 'Client key',
    explain: 'Clients send this key as x-api-key or Authorization: Bearer.',
    preview: 'Current key',
    reveal: 'Reveal',
    hide: 'Hide',
    copy: 'Copy key',
    regenerate: 'Regenerate',
    confirmTitle: 'Regenerate the client key?',
    confirmBody:
      'The current key stops working at once: every client using it (Claude Code, SDKs, scripts) must be given the new key.',
    confirm: 'Regenerate key',
    regenerated: 'New key created. Update your clients with it.',
  },
  pool: {
    title: 'Account pool',
    strategy: 'Strategy',
  },
  timeouts: {
    title: 'Upstream timeouts',
    explain: 'How long Kiro may take before a request fails over to another account.',
    connect: 'Connect',
    firstEvent: 'First event',
    idle: 'Idle between events',
    seconds: 'seconds',
    notANumber: 'Enter a number of seconds.',
  },
  cache: {
    title: 'Response cache',
    explain:
      'Off by default. When on, an identical request from the same conversation within the time to live is ' +
      'answered without asking Kiro again; answers are never shared between conversations.',
    enabled: 'Cache identical responses',
    includeToolsAndSampling: 'Also cache requests with tools or sampling',
    includeToolsAndSamplingHint:
      'Otherwise requests that offer tools, or ask for a temperature above 0 (none given counts as 1), always ' +
      'go to Kiro. Replayed tool calls get new ids.',
    ttl: 'Time to live (seconds)',
    maxMb: 'Maximum size (MB)',
    notANumber: 'Enter a number.',
  },
  behaviour: {
    title: 'Behaviour',
    ideWriteBack: 'Write refreshed tokens back to the Kiro IDE',
    ideWriteBackHint: 'Keeps the IDE signed in when Kiro Dock refreshes its login.',
    metricsPublic: 'Serve /metrics without the admin token',
    metricsPublicHint: 'Loopback clients only; useful for a local Prometheus.',
    capturePrompts: 'Record prompts in the requests log',
    capturePromptsHint: 'Keeps the last user message of each request in memory, never on disk.',
    logLevel: 'Log level',
  },
  dashboard: {
    title: 'Dashboard and desktop',
    language: 'Dashboard language',
    launchAtLogin: 'Launch Kiro Dock at login',
    launchFailed: 'The operating system refused: {{message}}',
  },
  claudeCode: {
    title: 'Claude Code',
    explain: 'Point Claude Code at this proxy with these lines, or let Kiro Dock write its settings file.',
    loading: 'Reading Claude Code’s settings…',
    unavailable: 'Claude Code setup is not available: {{message}}',
    configured: 'Claude Code already uses this proxy with the current key.',
    notConfigured: 'Claude Code is not set up for this proxy yet.',
    staleKey:
      '{{path}} points at this proxy with an old client key (from before the key was regenerated): Claude Code’s requests are refused until it is rewritten.',
    rewrite: 'Rewrite with the current key',
    replacesTitle: 'In the file’s env this changes:',
    replaces: 'now {{current}}: replaced',
    removes:
      'now {{current}}: removed (Claude Code would send it in place of the client key, and the proxy would refuse it)',
    envTitle: 'Shell (current terminal)',
    copyEnv: 'Copy shell lines',
    settingsTitle: 'Settings file',
    copySettings: 'Copy settings.json snippet',
    keyHidden: 'The client key is hidden here; the copy buttons copy it in full.',
    write: 'Write Claude Code settings',
    confirmTitle: 'Write Claude Code settings?',
    confirmBody:
      'Kiro Dock will set ANTHROPIC_BASE_URL and ANTHROPIC_AUTH_TOKEN in {{path}}, keeping everything else.',
    confirmBackup: 'A backup of the current file is made first.',
    confirmNew: 'The file does not exist yet and will be created.',
    confirm: 'Write settings',
    written: 'Claude Code settings written to {{path}}.',
    backup: 'The previous file was saved as {{path}}.',
  },
  codex: {
    title: 'Codex CLI',
    explain:
      'Point the Codex CLI at this proxy (it speaks the Responses API) with this config and key variable.',
    configTitle: 'Config file',
    copyConfig: 'Copy config.toml',
    keyTitle: 'Shell (before running codex)',
    copyKeyLine: 'Copy shell line',
    keyHidden: 'The client key is hidden here; the copy button copies it in full.',
  },
};
