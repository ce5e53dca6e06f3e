import type { Translations } from '../../translations.ts';
import type { signInEn } from '../en/signIn.ts';

export const signInZh: Translations<typeof signInEn> = {
  open: '登录',
  again: '重新登录',
  title: '登录 Kiro',
  againTitle: '重新登录：{{account}}',
  method: '登录方式',
  methods: {
    'builder-id': 'AWS Builder ID',
    idc: 'IAM Identity Center（你的组织）',
    google: 'Google',
    github: 'GitHub',
  },
  startUrl: '起始网址',
  startUrlHint: '例如 https://my-company.awsapps.com/start',
  region: '区域',
  label: '名称（可选）',
  start: '继续',
  starting: '正在开始…',
  device: {
    explain: '打开登录页面，确认页面显示的是这个代码，然后允许访问。',
    code: '你的代码',
    copyCode: '复制代码',
    openPage: '打开登录页面',
    expires: '代码有效期至 {{time}}。',
  },
  social: {
    explain: '打开登录页面并登录。浏览器最后会停在以 {{redirect}} 开头的地址；复制完整地址并粘贴到这里。',
    openPage: '打开登录页面',
    pasteLabel: '浏览器最后停留的地址',
    finish: '完成登录',
  },
  state: {
    waiting: '正在等待你在浏览器中批准…',
    succeeded: '已登录，账号已加入账号池。',
    renewed: '已重新登录，账号保留其历史记录。',
    failed: '登录失败：{{message}}',
    cancelled: '已取消登录。',
  },
  cancel: '取消登录',
  host: '对话主机 {{host}}',
  inRegion: '区域 {{region}}',
  profile: '配置文件 {{profile}}',
  close: '关闭',
};
