/**
 * Failures before Kiro answers, as the HTTP client raises them, become typed errors that name the phase a user
 * can tune (connect, first event) — or say that Kiro could not be reached at all.
 */
import net from 'node:net';
import { errors, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { toNetworkError } from '../../electron/core/kiro/kiroAnswers.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';

describe('network failures', () => {
  it('a connect timeout names the connect phase', () => {
    const error = toNetworkError(new errors.ConnectTimeoutError());
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/connect timeout/);
  });

  it('headers that never come name the first-event phase, from a real server that stays silent', async () => {
    const silent = net.createServer(() => {
      // Accepts the connection and never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const failure = await request(`http://127.0.0.1:${port}/`, { headersTimeout: 100 }).catch(
        (error: unknown) => error,
      );
      const error = toNetworkError(failure);
      expect(error.kind).toBe('timeout');
      expect(error.message).toMatch(/first-event timeout/);
    } finally {
      silent.close();
    }
  });

  it('a refused connection is a network error that says why', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await request(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    const error = toNetworkError(failure);
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/Cannot reach Kiro: .*ECONNREFUSED/);
  });
});
