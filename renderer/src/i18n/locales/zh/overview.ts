import type { Translations } from '../../translations.ts';
import type { overviewEn } from '../en/overview.ts';

export const overviewZh: Translations<typeof overviewEn> = {
  title: '概览',
  window: {
    label: '时间范围',
    '15m': '15 分钟',
    '24h': '24 小时',
  },
  loading: '正在加载统计数据…',
  dayFailed: '无法加载最近 24 小时的数据：{{message}}',
  stats: {
    proxy: '代理',
    rpm: '每分钟请求数',
    rpmDetail: '最近 60 秒',
    errorRate: '错误率',
    errorRateDetail: '{{requests}} 个请求中 {{errors}} 个失败',
    activeStreams: '进行中的流',
    activeStreamsDetail: '正在应答',
    responseCache: '响应缓存命中率',
    promptCache: '提示缓存命中率',
    promptCacheDetail: '输入 token 中从提示缓存读取的比例',
    cacheUnused: '此时间范围内未使用',
    tokens: '输入 / 输出 token',
    tokensDetail15m: '最近 15 分钟',
    tokensDetail24h: '最近 24 小时',
    notAvailable: '—',
  },
  charts: {
    requestsPerSecond: '每秒请求数与错误数',
    requestsPerMinute: '每分钟请求数与错误数',
    requests: '请求',
    errors: '错误',
    ttft: '首个 token 耗时',
    latency: '总耗时',
    p50: 'p50',
    p95: 'p95',
    cache: '缓存命中率',
    responseCache: '响应缓存',
    promptCache: '提示缓存',
  },
  empty: {
    title15m: '还没有请求',
    title24h: '最近 24 小时没有请求',
    body: '让 Claude Code 连接 {{endpoint}}：把 ANTHROPIC_BASE_URL 设为该地址，ANTHROPIC_AUTH_TOKEN 设为你的客户端密钥。',
    action: '在设置中配置 Claude Code',
  },
};
