/**
 * The proxy words its account states and errors in English (they also go to logs and the CLI). The dashboard
 * shows the ones it knows in the user's language: each pattern below is a sentence the core writes, with its
 * variable parts captured and kept as they are. Anything unknown is shown as the core wrote it.
 */
const ZH_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Kiro rejected the access token even right after a refresh$/, 'Kiro 在刷新后仍然拒绝了访问令牌'],
  [/^Kiro throttled this account \((.*)\)$/, 'Kiro 对此账号限流（$1）'],
  [/^Kiro reports the quota used up \((.*)\)$/, 'Kiro 报告额度已用完（$1）'],
  [/^Kiro quota exhausted: (.*)$/, 'Kiro 额度已用完：$1'],
  [/^([\d.]+) of ([\d.]+) credits used$/, '已用 $1 / $2 积分'],
  [/^Kiro IDE is signed out\.$/, 'Kiro IDE 已退出登录。'],
  [/^Sign in to Kiro IDE again\.$/, '请重新登录 Kiro IDE。'],
  [
    /^Sign in again with `kiro-cli login`, then re-import\.$/,
    '请用 `kiro-cli login` 重新登录，然后重新导入。',
  ],
  [/^Add the account again with a new refresh token\.$/, '请用新的 refresh token 重新添加此账号。'],
  [/^Add the account again with a valid ksk_ API key\.$/, '请用有效的 ksk_ API key 重新添加此账号。'],
  [/^Kiro refuses this API key \((.*)\)$/, 'Kiro 拒绝了此 API key（$1）'],
  [
    /^Use "Sign in again" on the Accounts page, or run kiro-dock accounts login --account (\S+)\.$/,
    '请在“账号”页点击“重新登录”，或运行 kiro-dock accounts login --account $1。',
  ],
  [/^Refresh token rejected$/, 'refresh token 被拒绝'],
  [/^Cannot reach Kiro: (.*)$/, '无法连接 Kiro：$1'],
  [/^Kiro timed out: (.*)$/, 'Kiro 超时：$1'],
  [/^Kiro sent nothing for (\d+) ms (.*)$/, 'Kiro $2 $1 毫秒内没有发送任何内容'],
  [/^Kiro stream broke off: (.*)$/, 'Kiro 应答流中断：$1'],
  [/^Malformed Kiro event: (.*)$/, 'Kiro 事件格式错误：$1'],
];

export function translateCoreMessage(message: string, language: string): string {
  if (language !== 'zh') return message;
  for (const [pattern, replacement] of ZH_PATTERNS) {
    if (pattern.test(message)) return message.replace(pattern, replacement);
  }
  return message;
}
