import type { Translations } from '../../translations.ts';
import type { batchImportEn } from '../en/batchImport.ts';

export const batchImportZh: Translations<typeof batchImportEn> = {
  open: '批量导入…',
  title: '批量导入登录',
  explain:
    '粘贴刷新令牌（每行一个）或 Kiro Dock 导出的文件，也可以把文件拖到这里。每个登录都会先经 Kiro 验证再添加；重复的会跳过。',
  text: '刷新令牌或导出文件',
  file: '或选择文件',
  start: '导入',
  running: '正在导入…',
  progress: '已检查 {{done}} / {{total}}',
  columns: { index: '#', token: '令牌', result: '结果' },
  status: {
    pending: '等待中',
    added: '已添加',
    duplicate: '重复',
    failed: '失败',
  },
  summary: '已添加 {{added}} 个，重复 {{duplicate}} 个，失败 {{failed}} 个。',
  close: '关闭',
};
