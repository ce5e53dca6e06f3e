import { describe, expect, it } from 'vitest';
import { adminRequestProblem, type AdminRequestFacts } from '../../electron/core/server/admin/adminGuard.ts';

const PORT = 8765;
const onLoopback = (facts: Partial<AdminRequestFacts>): AdminRequestFacts => ({
  host: `127.0.0.1:${PORT}`,
  localAddress: '127.0.0.1',
  localPort: PORT,
  ...facts,
});

describe('admin request guard', () => {
  it.each([
    ['127.0.0.1', `127.0.0.1:${PORT}`],
    ['localhost', `localhost:${PORT}`],
    ['localhost, any case', `LocalHost:${PORT}`],
    ['IPv6 loopback', `[::1]:${PORT}`],
  ])('accepts the loopback name %s for the bound port', (_name, host) => {
    expect(adminRequestProblem(onLoopback({ host }))).toBeUndefined();
  });

  it.each([
    ['a rebound foreign name', `evil.example:${PORT}`],
    ['a loopback name with another port', `127.0.0.1:${PORT + 1}`],
    ['a loopback name without its port', 'localhost'],
    ['a LAN address', `192.168.1.10:${PORT}`],
  ])('refuses %s on a loopback connection', (_name, host) => {
    expect(adminRequestProblem(onLoopback({ host }))).toMatch(/answers only to .*localhost/);
  });

  it('also checks IPv6 and IPv4-mapped loopback connections', () => {
    const host = `evil.example:${PORT}`;
    expect(adminRequestProblem(onLoopback({ host, localAddress: '::1' }))).toBeDefined();
    expect(adminRequestProblem(onLoopback({ host, localAddress: '::ffff:127.0.0.1' }))).toBeDefined();
  });

  it('takes a bare name on port 80, where browsers leave the port out', () => {
    expect(
      adminRequestProblem({ host: 'localhost', localAddress: '127.0.0.1', localPort: 80 }),
    ).toBeUndefined();
  });

  it('refuses a request without a Host header', () => {
    expect(adminRequestProblem(onLoopback({ host: undefined }))).toMatch(/no Host/);
  });

  it('accepts the own origin and requests that name none (curl, the tray)', () => {
    expect(adminRequestProblem(onLoopback({ origin: `http://127.0.0.1:${PORT}` }))).toBeUndefined();
    expect(
      adminRequestProblem(onLoopback({ host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` })),
    ).toBeUndefined();
    expect(adminRequestProblem(onLoopback({}))).toBeUndefined();
  });

  it.each([
    ['another site', 'http://evil.example'],
    ['another site on the same port', `http://evil.example:${PORT}`],
    ['https on the same host', `https://127.0.0.1:${PORT}`],
    ['another port', `http://127.0.0.1:${PORT + 1}`],
    ['an opaque origin', 'null'],
  ])('refuses the Origin of %s', (_name, origin) => {
    expect(adminRequestProblem(onLoopback({ origin }))).toMatch(/Cross-origin/);
  });

  it('accepts Sec-Fetch-Site same-origin and none, refuses the rest', () => {
    expect(adminRequestProblem(onLoopback({ secFetchSite: 'same-origin' }))).toBeUndefined();
    expect(adminRequestProblem(onLoopback({ secFetchSite: 'none' }))).toBeUndefined();
    for (const secFetchSite of ['same-site', 'cross-site']) {
      expect(adminRequestProblem(onLoopback({ secFetchSite }))).toMatch(/Cross-site/);
    }
  });

  it('beyond loopback, takes the address the connection arrived on and only its own origin', () => {
    const lan = { host: `192.168.1.10:${PORT}`, localAddress: '192.168.1.10', localPort: PORT };
    expect(adminRequestProblem(lan)).toBeUndefined();
    expect(adminRequestProblem({ ...lan, localAddress: '::ffff:192.168.1.10' })).toBeUndefined();
    expect(adminRequestProblem({ ...lan, origin: `http://192.168.1.10:${PORT}` })).toBeUndefined();
    expect(adminRequestProblem({ ...lan, origin: 'http://evil.example' })).toMatch(/Cross-origin/);
    const v6 = { host: `[fd00::5]:${PORT}`, localAddress: 'fd00::5', localPort: PORT };
    expect(adminRequestProblem(v6)).toBeUndefined();
  });

  it.each([
    ['a rebound foreign name', `evil.example:${PORT}`],
    ['a loopback name', `localhost:${PORT}`],
    ['another LAN address', `192.168.1.11:${PORT}`],
    ['the right address with another port', `192.168.1.10:${PORT + 1}`],
  ])('beyond loopback, refuses %s', (_name, host) => {
    const lan = { host, localAddress: '192.168.1.10', localPort: PORT };
    expect(adminRequestProblem(lan)).toMatch(/answers only to 192\.168\.1\.10:8765, not to/);
  });

  it('takes the name it was told to listen on, never a wildcard address', () => {
    const lan = { localAddress: '192.168.1.10', localPort: PORT, configuredHosts: ['MyBox.lan'] };
    expect(adminRequestProblem({ ...lan, host: `mybox.lan:${PORT}` })).toBeUndefined();
    expect(adminRequestProblem({ ...lan, host: `evil.example:${PORT}` })).toBeDefined();
    const everywhere = { localAddress: '192.168.1.10', localPort: PORT, configuredHosts: ['0.0.0.0', '::'] };
    expect(adminRequestProblem({ ...everywhere, host: `0.0.0.0:${PORT}` })).toBeDefined();
    expect(adminRequestProblem({ ...everywhere, host: `[::]:${PORT}` })).toBeDefined();
  });
});
