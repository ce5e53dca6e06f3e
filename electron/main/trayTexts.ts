/**
 * The tray menu's and the notifications' words in the dashboard's languages. The dashboard tells the main
 * process which one the user chose (DesktopBridge.setLanguage); until then the OS's language decides.
 */
export type DesktopLanguage = 'en' | 'zh';

export const DESKTOP_LANGUAGES: readonly DesktopLanguage[] = ['en', 'zh'];

/** `zh-CN`, `zh-TW`… → zh; anything else → en. */
export function desktopLanguageOf(locale: string | undefined): DesktopLanguage {
  return locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export interface DesktopTexts {
  runningOn(port: number): string;
  stopped: string;
  requestsToday(count: number): string;
  accountsOk(ok: number, total: number): string;
  stopProxy: string;
  startProxy: string;
  copyEndpoint: string;
  copyClaudeEnv: string;
  openDashboard: string;
  addAccount: string;
  launchAtLogin: string;
  launchAtLoginUnsupported: string;
  quit: string;
  updateAutomatically: string;
  noAccounts: string;
  more(hidden: number): string;
  needsRelogin: string;
  suspended: string;
  disabled: string;
  exhausted: string;
  coolingDown: string;
  ready: string;
  creditsLeft(remaining: string, limit: string): string;
  tooltipStopped: string;
  tooltipNoAccounts: string;
  tooltipDegraded: string;
  tooltipRunning(port: string): string;
  noticeRelogin(label: string): string;
  noticeExhausted(label: string): string;
  noticeExhaustedBody(until: string): string;
}

const EN: DesktopTexts = {
  runningOn: (port) => `Running on port ${port}`,
  stopped: 'Proxy stopped',
  requestsToday: (count) => `${count} ${count === 1 ? 'request' : 'requests'} today`,
  accountsOk: (ok, total) => `${ok}/${total} accounts OK`,
  stopProxy: 'Stop proxy',
  startProxy: 'Start proxy',
  copyEndpoint: 'Copy endpoint URL',
  copyClaudeEnv: 'Copy Claude Code environment',
  openDashboard: 'Open dashboard…',
  addAccount: 'Add account…',
  launchAtLogin: 'Launch at login',
  launchAtLoginUnsupported: 'Launch at login (not on this system)',
  quit: 'Quit Kiro Dock',
  updateAutomatically: 'Update automatically',
  noAccounts: 'No accounts: add one in the dashboard',
  more: (hidden) => `…and ${hidden} more`,
  needsRelogin: 'needs a new login',
  suspended: 'suspended',
  disabled: 'disabled',
  exhausted: 'out of credits',
  coolingDown: 'cooling down',
  ready: 'ready',
  creditsLeft: (remaining, limit) => `${remaining} of ${limit} credits left`,
  tooltipStopped: 'Kiro Dock — proxy stopped',
  tooltipNoAccounts: 'Kiro Dock — no accounts',
  tooltipDegraded: 'Kiro Dock — some accounts need attention',
  tooltipRunning: (port) => `Kiro Dock — running on port ${port}`,
  noticeRelogin: (label) => `${label} needs a new login`,
  noticeExhausted: (label) => `${label} is out of credits`,
  noticeExhaustedBody: (until) => `Kiro Dock uses your other accounts until ${until}.`,
};

const ZH: DesktopTexts = {
  runningOn: (port) => `运行于端口 ${port}`,
  stopped: '代理已停止',
  requestsToday: (count) => `今日 ${count} 个请求`,
  accountsOk: (ok, total) => `${ok}/${total} 个账号可用`,
  stopProxy: '停止代理',
  startProxy: '启动代理',
  copyEndpoint: '复制接口地址',
  copyClaudeEnv: '复制 Claude Code 环境变量',
  openDashboard: '打开控制台…',
  addAccount: '添加账号…',
  launchAtLogin: '登录时启动',
  launchAtLoginUnsupported: '登录时启动（此系统不支持）',
  quit: '退出 Kiro Dock',
  updateAutomatically: '自动更新',
  noAccounts: '没有账号：请在控制台中添加',
  more: (hidden) => `…以及另外 ${hidden} 个`,
  needsRelogin: '需要重新登录',
  suspended: '已被暂停',
  disabled: '已禁用',
  exhausted: '积分已用完',
  coolingDown: '冷却中',
  ready: '就绪',
  creditsLeft: (remaining, limit) => `剩余 ${remaining} / ${limit} 积分`,
  tooltipStopped: 'Kiro Dock — 代理已停止',
  tooltipNoAccounts: 'Kiro Dock — 没有账号',
  tooltipDegraded: 'Kiro Dock — 部分账号需要处理',
  tooltipRunning: (port) => `Kiro Dock — 运行于端口 ${port}`,
  noticeRelogin: (label) => `${label} 需要重新登录`,
  noticeExhausted: (label) => `${label} 的积分已用完`,
  noticeExhaustedBody: (until) => `在 ${until} 之前，Kiro Dock 会使用你的其他账号。`,
};

export function desktopTexts(language: DesktopLanguage | undefined): DesktopTexts {
  return language === 'zh' ? ZH : EN;
}
