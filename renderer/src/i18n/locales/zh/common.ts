import type { Translations } from '../../translations.ts';
import type { commonEn } from '../en/common.ts';

export const commonZh: Translations<typeof commonEn> = {
  appName: 'Kiro Dock',
  nav: {
    overview: '概览',
    accounts: '账号',
    quotas: '额度',
    requests: '请求',
    usage: '用量',
    settings: '设置',
  },
  status: {
    ok: '运行中',
    degraded: '部分异常',
    unavailable: '没有可用账号',
    unreachable: '无法连接代理',
    checking: '检查中…',
    accountsOk: '{{total}} 个账号中 {{ok}} 个可用',
    live: '实时',
    reconnecting: '正在重新连接…',
    connecting: '正在连接…',
  },
  language: '语言',
  languages: { en: 'English', zh: '简体中文' },
  actions: {
    copy: '复制',
    copied: '已复制',
    cancel: '取消',
    confirm: '确认',
    retry: '重试',
    close: '关闭',
    save: '保存',
  },
  signIn: {
    title: '登录控制台',
    explain: '打开 kiro-dock serve 输出的控制台链接（仅可使用一次），或粘贴它输出的管理令牌。',
    tokenLabel: '管理令牌或登录码',
    submit: '登录',
    expired: '会话已结束（代理已重启），请重新登录。',
    failed: '登录失败：{{message}}',
  },
  errors: {
    unreachable: '无法连接 Kiro Dock。请先启动代理（托盘菜单或 kiro-dock serve），然后重试。',
    loadFailed: '控制台加载失败：{{message}}',
  },
  time: {
    never: '从未',
  },
  chart: {
    peak: '峰值 {{value}}',
    noSamples: '无数据',
  },
};
