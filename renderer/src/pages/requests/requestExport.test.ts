import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';
import { exportFileName, requestsAsCsv, requestsAsJson } from './requestExport.ts';

const ENTRIES: RequestLogEntry[] = [
  {
    id: 'req-1',
    at: Date.UTC(2026, 10, 28, 9, 30, 5),
    route: '/v1/messages',
    model: 'claude-sonnet-4-5',
    kiroModel: 'claude-sonnet-4.5',
    accountId: 'acc-1',
    accountLabel: 'Work, main',
    status: 200,
    stream: true,
    attempts: 2,
    failedAttempts: [{ accountId: 'acc-2', accountLabel: 'Spare', kind: 'server_error', status: 500 }],
    durationMs: 1_250,
    inputTokens: 10,
    outputTokens: 3,
    credits: 0.25,
    prompt: 'say "hi"\nthen stop',
  },
  {
    id: 'req-2',
    at: Date.UTC(2026, 10, 28, 9, 31),
    route: '/v1/chat/completions',
    status: 400,
    stream: false,
    durationMs: 3,
    error: 'bad body',
  },
];

describe('requests export', () => {
  it('writes one CSV row a request, quoting commas, quotes and line breaks', () => {
    const lines = requestsAsCsv(ENTRIES).split('\r\n');
    expect(lines[0]).toBe(
      'id,at,route,model,kiroModel,accountId,accountLabel,status,stream,attempts,failedAttempts,ttftMs,durationMs,' +
        'inputTokens,outputTokens,cacheReadInputTokens,cacheCreationInputTokens,credits,responseCache,error,prompt',
    );
    expect(lines[1]).toBe(
      'req-1,2026-11-28T09:30:05.000Z,/v1/messages,claude-sonnet-4-5,claude-sonnet-4.5,acc-1,"Work, main",200,true,2,' +
        'Spare: server_error 500,,1250,10,3,,,0.25,,,"say ""hi""\nthen stop"',
    );
    expect(lines[2]).toBe(
      'req-2,2026-11-28T09:31:00.000Z,/v1/chat/completions,,,,,400,false,,,,3,,,,,,,bad body,',
    );
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('writes JSON that reads back as the same entries', () => {
    expect(JSON.parse(requestsAsJson(ENTRIES))).toEqual(ENTRIES);
  });

  it('names the file after the moment of the export', () => {
    expect(exportFileName(Date.UTC(2026, 10, 28, 9, 30, 5), 'csv')).toBe(
      'kiro-dock-requests-2026-11-28T09-30-05.csv',
    );
  });
});
