/** The names under which settings are stored (settings.json on the hosts), and the defaults hosts share. */

export const SETTING_POOL_STRATEGY = 'poolStrategy';
export const SETTING_IDE_WRITE_BACK = 'ideWriteBack';
/** `{ enabled, ttlSeconds, maxBytes }`, any of them. */
export const SETTING_RESPONSE_CACHE = 'responseCache';
/** `{ connectMs, firstEventMs, idleMs, controlCallMs }`, any of them. */
export const SETTING_TIMEOUTS = 'timeouts';
/** true: /metrics answers without the admin token (still on loopback names only). */
export const SETTING_METRICS_PUBLIC = 'metricsPublic';
/** trace … silent; the host's --log-level flag and KIRO_DOCK_LOG_LEVEL win over it at start. */
export const SETTING_LOG_LEVEL = 'logLevel';
/** The address `kiro-dock serve` binds when no --host / --port is given. */
export const SETTING_LISTEN_HOST = 'listenHost';
export const SETTING_LISTEN_PORT = 'listenPort';
/** true: the requests log keeps the last user message of each request. */
export const SETTING_CAPTURE_PROMPTS = 'capturePrompts';
/** `q` or `runtime`: every account chats on that host; absent or `auto`: each account's probed host. */
export const SETTING_CHAT_HOST = 'chatHost';

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8765 } as const;
