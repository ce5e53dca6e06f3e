import type { Translations } from '../../translations.ts';
import type { quotasEn } from '../en/quotas.ts';

export const quotasZh: Translations<typeof quotasEn> = {
  title: '额度',
  loading: '正在加载账号…',
  empty: {
    title: '未找到 Kiro 账号',
    body: '登录 Kiro IDE 或添加刷新令牌后，这里会显示它的额度。',
    action: '前往账号页',
  },
  total: {
    title: '全部账号',
    detail: '{{total}} 个账号中 {{reporting}} 个已报告额度',
    none: '还没有账号报告额度。',
  },
  used: '已用 {{used}} / {{limit}} 点额度',
  left: '剩余 {{remaining}}',
  barLabel: '已用额度：{{name}}',
  barText: '已用 {{used}} / {{limit}} 点额度（{{percent}}）',
  freeTrial: '免费试用',
  bonus: '奖励额度',
  grant: '{{used}} / {{limit}}',
  expires: '{{date}} 到期',
  inactive: '未生效',
  resets: '{{date}} 重置（{{relative}}）',
  noReset: 'Kiro 未报告重置日期。',
  forecast: {
    runsOut: '按当前速度，约在 {{date}} 用完',
    lastsUntilReset: '按当前速度，可以用到重置',
    noRate: '按当前速度不会用完',
    exhausted: '额度已用完，{{date}} 重置',
    exhaustedNoReset: '额度已用完',
  },
  overage: '已开启超额使用：超过上限后请求继续，由 Kiro 计费。',
  checked: '{{relative}}检查',
  noQuota: {
    disabled: '已停用：停用的账号不读取额度。可在账号页启用。',
    needsAttention: '账号恢复正常前无法读取额度：{{reason}}',
    apiKey: 'Kiro 尚未报告此 API 密钥的额度，有些密钥从不报告。',
    notYet: '尚未读取：Kiro Dock 在启动时和每 5 分钟读取一次额度。',
  },
};
