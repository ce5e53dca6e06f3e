/**
 * A full log of a busy run — refreshes, rotations, failovers, faults, at debug level — contains none of the
 * tokens the emulator issued, nor the client key.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/logging/createLogger.ts';
import { CLIENT_KEY, postJson, startProxyHarness } from './proxyHarness.ts';

describe('logs', () => {
  it('never contain a token or the client key', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const proxy = await startProxyHarness({
      expiredToken: true,
      manualAccounts: 1,
      logger: createLogger({ level: 'trace', destination }),
    });
    try {
      const ask = (content: string) =>
        postJson(`${proxy.url}/v1/messages`, {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content }],
        });
      await ask('hi');
      proxy.emulator.setFault({ kind: '403-invalid', times: 1 });
      await ask('refresh once');
      proxy.emulator.setFault({ kind: '403-suspended', times: 1 });
      await ask('fail over');
      await ask('[[fault:400-too-long]]');
      await postJson(`${proxy.url}/v1/messages`, {}, { 'x-api-key': 'wrong-key' });
      await proxy.core.accounts.checkQuota(proxy.core.repository.list()[0]!.id);
    } finally {
      await proxy.close();
    }
    const log = lines.join('');
    expect(log).toContain('token refreshed');
    expect(log).toMatch(/"requestId":"req_[0-9a-f]{24}"/);
    const secrets = [...proxy.emulator.issuedTokens(), CLIENT_KEY];
    expect(secrets.length).toBeGreaterThan(4);
    const leaked = secrets.filter((secret) => log.includes(secret));
    expect(leaked).toEqual([]);
  });
});
